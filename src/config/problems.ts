import { OriginSignerError } from '../errors.js';

export type ConfigPath = ReadonlyArray<string | number>;

/** One thing wrong with a config file, where it is, and what to do. */
export interface ConfigProblem {
  readonly path: ConfigPath;
  readonly message: string;
  readonly line?: number;
  readonly col?: number;
}

/** `proxies[0].upstream.bucket` — the form the README and error messages use. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out === '' ? '(top level)' : out;
}

export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line !== undefined ? `${file}:${p.line}:${p.col ?? 1}` : file;
  return `${where}  ${formatPath(p.path)}: ${p.message}`;
}

/** Every problem found in a config file, reported at once (fastify's initial-config-validation). */
export class ConfigError extends OriginSignerError {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];
  constructor(file: string, problems: readonly ConfigProblem[]) {
    const n = problems.length;
    super('OS_ERR_CONFIG_INVALID', `${file}: ${n} problem${n === 1 ? '' : 's'}\n${problems.map((p) => `  ${formatProblem(file, p)}`).join('\n')}`);
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}
