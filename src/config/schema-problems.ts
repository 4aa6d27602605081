import { upstreamMessage, misplacedKeyHint } from './placement.js';
import type { ConfigPath, ConfigProblem } from './problems.js';
import { friendlyMessage } from './friendly-message.js';
import { configSchema, type RawConfig } from './schema.js';
import { unknownKeyMessage } from './unknown-key.js';

/** A path as one comparable string. */
export const pathKey = (path: ConfigPath): string => path.map(String).join('\0');

/** The value at a config path in the plain input, if there is one. */
function valueAt(input: unknown, path: ConfigPath): unknown {
  let node = input;
  for (const step of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[step] : undefined;
  return node;
}

const isUpstreamPath = (path: ConfigPath): boolean => path.length === 3 && path[0] === 'proxies' && path[2] === 'upstream';

/**
 * The field-by-field problems of the whole file (the schema's), each at its path: an unknown key
 * at the key itself with a word on where it probably belongs, a missing or empty upstream said
 * as an indentation problem when its keys stand one level up. `skip`: paths already reported
 * (a missing `${VAR}`), whose "must not be empty" would only repeat it.
 */
export function schemaProblems(input: unknown, skip: ReadonlySet<string>): { data?: RawConfig; problems: ConfigProblem[] } {
  const parsed = configSchema.safeParse(input, { error: friendlyMessage });
  if (parsed.success) return { data: parsed.data, problems: [] };
  const problems: ConfigProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (skip.has(pathKey(path))) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) {
        problems.push({ path: [...path, k], message: unknownKeyMessage(k, misplacedKeyHint(path, k)) });
      }
    } else if (isUpstreamPath(path)) {
      problems.push({ path, message: upstreamMessage(valueAt(input, path.slice(0, 2))) ?? issue.message });
    } else {
      problems.push({ path, message: issue.message });
    }
  }
  return { problems };
}
