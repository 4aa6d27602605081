import { OriginSignerError } from '../errors.js';
import { shownStep } from './unknown-key.js';

export type ConfigPath = ReadonlyArray<string | number>;

/** One thing wrong with a config file, where it is, and what to do. */
export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
  readonly line?: number;
  readonly col?: number;
}

/** What a check finds: an error stops start-up, a warning is said and start-up goes on. */
export interface Finding extends ConfigProblem {
  readonly severity: 'error' | 'warning';
}

export const error = (path: ConfigPath, message: string): Finding => ({ path, message, severity: 'error' });
export const warning = (path: ConfigPath, message: string): Finding => ({ path, message, severity: 'warning' });

/** `proxies[0].upstream.bucket` — the form the README and error messages use. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? shownStep(p) : `.${shownStep(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line !== undefined ? `${file}:${p.line}:${p.col ?? 1}` : file;
  return `${where}  ${formatPath(p.path)}: ${p.message}`;
}

/**
 * Every problem found in a config file, reported at once (fastify's initial-config-validation),
 * with the warnings found in the same pass, so fixing the errors brings no surprise after.
 */
export class ConfigError extends OriginSignerError {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
  constructor(file: string, problems: readonly ConfigProblem[], warnings: readonly ConfigProblem[] = []) {
    const n = problems.length;
    const lines = [...problems.map((p) => `  ${formatProblem(file, p)}`), ...warnings.map((w) => `  warning: ${formatProblem(file, w)}`)];
    super('OS_ERR_CONFIG_INVALID', `${file}: ${n} problem${n === 1 ? '' : 's'}\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
    this.warnings = warnings;
  }
}
