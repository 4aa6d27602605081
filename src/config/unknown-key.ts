/** A key's text before its first space, or undefined when it has none. */
const beforeSpace = (key: string): string | undefined => {
  const space = key.search(/\s/);
  return space < 0 ? undefined : key.slice(0, space);
};

/**
 * The problem for a key the schema does not know. A key with a space in it is almost always a
 * `key value` missing its `: ` (`{ secretAccessKey SeCrEt }` in a flow map): the part after the
 * space is a value, often a secret, so only the part before it is named.
 */
export function unknownKeyMessage(key: string, hint?: string): string {
  const first = beforeSpace(key);
  if (first !== undefined) return `a key with a space in it — a missing ": " after "${first}"?`;
  return `unknown key "${key}"${hint ? ` — ${hint}` : ''}`;
}

/** A path step as printed: a key with a space in it shows only its part before the space (see above). */
export const shownStep = (step: string): string => {
  const first = beforeSpace(step);
  return first === undefined ? step : `${first} …`;
};
