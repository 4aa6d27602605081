import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import type { ConfigPath, ConfigProblem } from './problems.js';
import { yamlMessage } from './yaml-message.js';

/** A parsed YAML file that can say on which line any config path stands. */
export interface YamlSource {
  readonly doc: Document.Parsed;
  readonly syntaxProblems: ConfigProblem[];
  locate(path: ConfigPath): { line: number; col: number } | undefined;
  /** The line and column of a source offset (a node's range[0]). */
  position(offset: number): { line: number; col: number };
}

export function parseYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  // uniqueKeys: a key given twice is an error, not "last one wins".
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const syntaxProblems: ConfigProblem[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0];
    return { path: [], message: `YAML: ${yamlMessage(e.message)}`, ...(pos ? { line: pos.line, col: pos.col } : {}) };
  });
  return {
    doc,
    syntaxProblems,
    locate(path) {
      const offset = offsetOf(doc.contents, path);
      return offset === undefined ? undefined : lineCounter.linePos(offset);
    },
    position: (offset) => lineCounter.linePos(offset),
  };
}

/** A map key as the config path names it (a scalar key's value as text). */
export const keyOf = (k: unknown): string => (isScalar(k) ? String(k.value) : String(k));

/**
 * Where a config path stands: the value's position when it exists; for a missing key, the line of
 * the key that holds the map it is missing from (`upstream:` for a missing upstream.bucket).
 */
function offsetOf(root: unknown, path: ConfigPath): number | undefined {
  let node: unknown = root;
  let best = (root as Node | null)?.range?.[0];
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyOf(p.key) === String(step));
      if (!pair) return best;
      best = (pair.value as Node | null)?.range?.[0] ?? (pair.key as Node | null)?.range?.[0] ?? best;
      const keyStart = (pair.key as Node | null)?.range?.[0];
      node = pair.value;
      // A nested block map starts on the line after its key; its key's line reads better when
      // something inside it turns out to be missing.
      if (keyStart !== undefined && (isMap(node) || isSeq(node))) best = keyStart;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) return best;
      best = (item as Node | null)?.range?.[0] ?? best;
      node = item;
    } else {
      return best;
    }
  }
  return (node as Node | null)?.range?.[0] ?? best;
}

/** Calls `fn` for every scalar value (not keys) with its config path. */
export function visitValues(node: unknown, path: Array<string | number>, fn: (s: Scalar, path: ConfigPath) => void): void {
  if (isMap(node)) {
    for (const pair of node.items) visitValues(pair.value, [...path, keyOf(pair.key)], fn);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => visitValues(item, [...path, i], fn));
  } else if (isScalar(node)) {
    fn(node, path);
  }
}
