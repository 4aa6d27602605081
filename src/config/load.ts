import { readFileSync } from 'node:fs';
import { OriginSignerError } from '../errors.js';
import { substituteEnv } from './env.js';
import { ConfigError, type ConfigProblem } from './problems.js';
import { resolveConfig } from './resolve.js';
import { configSchema, friendlyMessage } from './schema.js';
import type { LoadedConfig } from './types.js';
import { parseYaml } from './yaml-source.js';

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Clock for date checks (pre-derived key scopes); injected so tests never read the real time. */
  readonly now?: () => number;
}

/**
 * Parses, substitutes `${ENV}`, validates and resolves a config text. Every problem is collected —
 * YAML syntax, env references, schema, cross-field — and thrown together as one ConfigError whose
 * lines name the YAML path and line. The result is deeply frozen.
 */
export function loadConfigText(text: string, file: string, opts: LoadOptions = {}): LoadedConfig {
  const src = parseYaml(text);
  if (src.syntaxProblems.length > 0) throw new ConfigError(file, src.syntaxProblems);
  const problems: ConfigProblem[] = substituteEnv(src.doc, opts.env ?? process.env);
  const parsed = configSchema.safeParse(src.doc.toJS() ?? {}, { error: friendlyMessage });
  if (!parsed.success) {
    // A missing ${VAR} became '' and is already reported; the schema's "must not be empty" for
    // the same value would only repeat it.
    const envPaths = new Set(problems.map((p) => p.path.join('\0')));
    for (const issue of parsed.error.issues) {
      if (envPaths.has(issue.path.map(String).join('\0'))) continue;
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      if (issue.code === 'unrecognized_keys') {
        // Point at each unknown key itself, not at the map that holds it.
        for (const key of issue.keys) problems.push({ path: [...path, key], message: `unknown key "${key}"` });
      } else {
        problems.push({ path, message: issue.message });
      }
    }
  }
  if (problems.length === 0 && parsed.success) {
    const resolved = resolveConfig(parsed.data, (opts.now ?? Date.now)());
    if (resolved.config) return { file, config: resolved.config, warnings: resolved.warnings };
    problems.push(...resolved.problems);
  }
  const located = problems.map((p) => ({ ...p, ...src.locate(p.path) }));
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  throw new ConfigError(file, located);
}

export function loadConfigFile(file: string, opts: LoadOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OriginSignerError('OS_ERR_CONFIG_UNREADABLE', `${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}: ${(err as Error).message}`);
  }
  return loadConfigText(text, file, opts);
}
