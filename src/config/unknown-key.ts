/**
 * The problem for a key the schema does not know. A key with a space in it is almost always a
 * `key value` missing its `: ` (`{ secretAccessKey SeCrEt }` in a flow map): the part after the
 * space is a value, often a secret, so only the part before it is named.
 */
export function unknownKeyMessage(key: string, hint?: string): string {
  const space = key.search(/\s/);
  if (space >= 0) return `a key with a space in it — a missing ": " after "${key.slice(0, space)}"?`;
  return `unknown key "${key}"${hint ? ` — ${hint}` : ''}`;
}

/** A path step as printed: a key with a space in it shows only its part before the space (see above). */
export const shownStep = (step: string): string => (/\s/.test(step) ? `${step.split(/\s/)[0]} …` : step);
