import { readFileSync } from 'node:fs';
import { OriginSignerError } from '../errors.js';
import { crossCheck } from './cross-check.js';
import { substituteEnv, type MissingVariable } from './env.js';
import { readSecretFiles } from './secret-files.js';
import { ConfigError, formatProblem, type ConfigProblem, type Finding } from './problems.js';
import { resolveConfig } from './resolve.js';
import { pathKey, schemaProblems } from './schema-problems.js';
import type { LoadedConfig, ResolvedConfig } from './types.js';
import { documentData } from './yaml-data.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Clock for date checks (pre-derived key scopes); injected so tests never read the real time. */
  readonly now?: () => number;
  /** Unset `${VAR}`s are listed, not problems (`check --allow-missing-env`); never for serving. */
  readonly allowMissingEnv?: boolean;
}

/** Everything one pass over a config file finds, each item located in the file. */
export interface ConfigReport {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
  /** Variables the file uses that are unset and have no default. */
  readonly missingEnv: ReadonlyArray<MissingVariable & { readonly line?: number; readonly col?: number }>;
  /** The resolved config, when there is no problem. */
  readonly config?: ResolvedConfig;
}

function located<T extends { readonly path: ConfigProblem['path'] }>(src: YamlSource, items: readonly T[]): T[] {
  return items.map((p) => ({ ...p, ...src.locate(p.path) })).sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

/** A value that still holds an unset `${VAR}` (allowMissingEnv) says so when it fails a check. */
function mentionPlaceholder(p: ConfigProblem, missing: readonly MissingVariable[]): ConfigProblem {
  const names = missing.filter((m) => pathKey(m.path) === pathKey(p.path)).map((m) => m.name);
  if (names.length === 0) return p;
  return { ...p, message: `${p.message} (the value comes from \${${names.join('}, ${')}}, which is not set: checked as the text "\${${names[0]}}")` };
}

/**
 * Parses, substitutes `${ENV}`, validates and resolves a config text in one pass: YAML syntax,
 * env references, every field, and every cross-field check on the fields that are valid — so all
 * problems and warnings come out together, each naming its YAML path and line.
 */
export function checkConfigText(text: string, file: string, opts: LoadOptions = {}): ConfigReport {
  const src = parseYaml(text);
  if (src.syntaxProblems.length > 0) return { file, problems: src.syntaxProblems, warnings: [], missingEnv: [] };
  const env = substituteEnv(src.doc, opts.env ?? process.env, { allowMissing: opts.allowMissingEnv === true });
  const files = readSecretFiles(src.doc);
  const plain = documentData(src);
  if ('problems' in plain) return { file, problems: [...located(src, [...env.problems, ...files]), ...plain.problems], warnings: [], missingEnv: located(src, env.missing) };
  const input = plain.data;
  const schema = schemaProblems(input, new Set([...env.problems, ...files].map((p) => pathKey(p.path))));
  const findings = crossCheck(input, (opts.now ?? Date.now)());
  const only = (severity: Finding['severity']): ConfigProblem[] => findings.filter((f) => f.severity === severity).map(({ path, message }) => ({ path, message }));
  const problems = [...env.problems, ...files, ...schema.problems, ...only('error')].map((p) => mentionPlaceholder(p, env.missing));
  const warnings = only('warning');
  const report = { file, problems: located(src, problems), warnings: located(src, warnings), missingEnv: located(src, env.missing) };
  if (report.problems.length > 0 || !schema.data) return report;
  return { ...report, config: resolveConfig(schema.data) };
}

/** The config to run, or a ConfigError listing every problem (and the warnings found with them). */
export function loadConfigText(text: string, file: string, opts: LoadOptions = {}): LoadedConfig {
  const report = checkConfigText(text, file, opts);
  if (!report.config) throw new ConfigError(file, report.problems, report.warnings);
  return { file, config: report.config, warnings: report.warnings.map((w) => formatProblem(file, w)) };
}

function readConfig(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new OriginSignerError('OS_ERR_CONFIG_UNREADABLE', `${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}: ${(err as Error).message}`);
  }
}

export const checkConfigFile = (file: string, opts: LoadOptions = {}): ConfigReport => checkConfigText(readConfig(file), file, opts);

export const loadConfigFile = (file: string, opts: LoadOptions = {}): LoadedConfig => loadConfigText(readConfig(file), file, opts);
