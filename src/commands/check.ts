import { stringify } from 'yaml';
import { effectiveConfig } from '../config/effective.js';
import { checkConfigFile, type ConfigReport } from '../config/load.js';
import { ConfigError, formatPath, formatProblem, type ConfigProblem } from '../config/problems.js';
import { OriginSignerError } from '../errors.js';

export interface CheckArgs {
  readonly file: string;
  /** One JSON document on stdout, whatever the outcome (for CI). */
  readonly json: boolean;
  /** Unset `${VAR}`s are listed as needed instead of being problems. */
  readonly allowMissingEnv: boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const located = (p: { path: ConfigProblem['path']; line?: number; col?: number }) => ({
  path: formatPath(p.path),
  ...(p.line !== undefined ? { line: p.line, col: p.col ?? 1 } : {}),
});

/** What `check --json` prints: never a secret (the config is the masked effective one), never a variable's value. */
function jsonReport(r: ConfigReport): string {
  const doc = {
    file: r.file,
    valid: r.config !== undefined,
    problems: r.problems.map((p) => ({ ...located(p), message: p.message })),
    warnings: r.warnings.map((w) => ({ ...located(w), message: w.message })),
    missingEnv: r.missingEnv.map((m) => ({ name: m.name, ...located(m) })),
    config: r.config ? effectiveConfig(r.config) : null,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** With --allow-missing-env: which variables the proxy will need, and where (never a value). */
function neededLines(r: ConfigReport, prefix: string): string[] {
  return r.missingEnv.map((m) => `${prefix}needs environment variable ${m.name}: ${m.line !== undefined ? `${r.file}:${m.line}:${m.col ?? 1}  ` : ''}${formatPath(m.path)}`);
}

function textReport(r: ConfigReport, allowMissingEnv: boolean): CommandOutput {
  const needed = allowMissingEnv ? neededLines : (): string[] => [];
  if (!r.config) {
    const err = new ConfigError(r.file, r.problems, r.warnings);
    const stderr = [`origin-signer: ${err.code}: ${err.message}`, ...needed(r, '  ')].join('\n');
    return { stdout: '', stderr: `${stderr}\n`, exitCode: 1 };
  }
  const valid = allowMissingEnv && r.missingEnv.length > 0 ? 'valid, once the variables below are set' : 'valid';
  const head = [`# ${r.file}: ${valid}`, ...needed(r, '# '), ...r.warnings.map((w) => `# warning: ${formatProblem(r.file, w)}`)];
  return { stdout: `${head.join('\n')}\n${stringify(effectiveConfig(r.config), { lineWidth: 0 })}`, stderr: '', exitCode: 0 };
}

/**
 * `origin-signer check FILE`: the same validation start-up runs, reported at once — the effective
 * config with secrets masked when valid (exit 0), every problem and warning when not (exit 1).
 */
export function checkCommand(a: CheckArgs): CommandOutput {
  let report: ConfigReport;
  try {
    report = checkConfigFile(a.file, { allowMissingEnv: a.allowMissingEnv, ...(a.env ? { env: a.env } : {}), ...(a.now ? { now: a.now } : {}) });
  } catch (err) {
    if (!a.json || !(err instanceof OriginSignerError)) throw err;
    const doc = { file: a.file, valid: false, error: err.code, problems: [{ path: formatPath([]), message: err.message }], warnings: [], missingEnv: [], config: null };
    return { stdout: `${JSON.stringify(doc, null, 2)}\n`, stderr: '', exitCode: 1 };
  }
  if (a.json) return { stdout: jsonReport(report), stderr: '', exitCode: report.config ? 0 : 1 };
  return textReport(report, a.allowMissingEnv);
}
