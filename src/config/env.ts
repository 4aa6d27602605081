import type { Document } from 'yaml';
import type { ConfigPath, ConfigProblem } from './problems.js';
import { visitValues } from './yaml-source.js';

/**
 * `${NAME}` and `${NAME:-default}` in YAML values (the contract's two forms; `:-` uses the default
 * when the variable is unset or empty, as in POSIX sh). `$${` is a literal `${`. Substitution runs
 * on parsed scalar values, never on the file text, so a value cannot inject YAML structure and
 * every value keeps its line number for error messages.
 */
const REF = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** A variable the file needs that is not set (and has no default), and the value that uses it. */
export interface MissingVariable {
  readonly name: string;
  readonly path: ConfigPath;
}

export interface Substitution {
  readonly problems: ConfigProblem[];
  readonly missing: MissingVariable[];
}

/**
 * `allowMissing` (for `check --allow-missing-env`, where the secrets live elsewhere): an unset
 * variable leaves its `${NAME}` text in place, so the rest of the file can still be checked, and
 * is listed instead of being a problem.
 */
export function substituteEnv(doc: Document.Parsed, env: NodeJS.ProcessEnv, opts: { allowMissing?: boolean } = {}): Substitution {
  const problems: ConfigProblem[] = [];
  const missing: MissingVariable[] = [];
  visitValues(doc.contents, [], (scalar, path) => {
    if (typeof scalar.value !== 'string' || !scalar.value.includes('${')) return;
    if (scalar.value.replace(REF, '').includes('${')) {
      problems.push({ path, message: 'malformed ${...} reference: use ${NAME} or ${NAME:-default}' });
      return;
    }
    scalar.value = scalar.value.replace(REF, (match: string, name: string | undefined, fallback: string | undefined) => {
      if (name === undefined) return '${';
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      if (value !== undefined) return '';
      missing.push({ name, path });
      if (opts.allowMissing) return match;
      problems.push({ path, message: `environment variable ${name} is not set (write \${${name}:-default} to give a default)` });
      return '';
    });
  });
  return { problems, missing };
}
