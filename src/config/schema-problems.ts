import type { ConfigPath, ConfigProblem } from './problems.js';
import { configSchema, friendlyMessage, type RawConfig } from './schema.js';

const key = (path: ConfigPath): string => path.map(String).join('\0');

/**
 * The field-by-field problems of the whole file (the schema's), each at its path. `skip`: paths
 * already reported (a missing `${VAR}`), whose "must not be empty" would only repeat it.
 */
export function schemaProblems(input: unknown, skip: ReadonlySet<string>): { data?: RawConfig; problems: ConfigProblem[] } {
  const parsed = configSchema.safeParse(input, { error: friendlyMessage });
  if (parsed.success) return { data: parsed.data, problems: [] };
  const problems: ConfigProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (skip.has(key(path))) continue;
    if (issue.code === 'unrecognized_keys') {
      // Point at each unknown key itself, not at the map that holds it.
      for (const k of issue.keys) problems.push({ path: [...path, k], message: `unknown key "${k}"` });
    } else {
      problems.push({ path, message: issue.message });
    }
  }
  return { problems };
}

export const pathKey = key;
