import { isMap, isSeq, Scalar, type Document, type YAMLMap } from 'yaml';
import type { ConfigPath, ConfigProblem } from './problems.js';
import { readSecretFile } from './secret-file-read.js';
import { keyOf } from './yaml-source.js';

/** Credential fields (and the SSE-C key) whose value may come from a file. */
const SECRET_FIELDS = new Set(['accessKeyId', 'secretAccessKey', 'sessionToken', 'signingKey', 'customerKey']);

/**
 * `secretAccessKey: { file: /run/secrets/s3-secret }`: the value is the file's text, its trailing
 * newline trimmed — how Docker and Kubernetes mount secrets. Read at every load, so a reload picks
 * up a rotated file. Runs on the parsed document like `${ENV}` substitution; a file that cannot be
 * read is a problem naming the YAML path and the file, never its content.
 */
export function readSecretFiles(doc: Document.Parsed, read: (file: string) => string = readSecretFile): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sets = doc.get('credentials');
  if (isMap(sets)) for (const pair of sets.items) inSet(pair.value, ['credentials', keyOf(pair.key)], read, problems);
  const proxies = doc.get('proxies');
  if (isSeq(proxies)) {
    proxies.items.forEach((b, i) => {
      if (!isMap(b)) return;
      inSet(b.get('credentials'), ['proxies', i, 'credentials'], read, problems);
      const up = b.get('upstream');
      if (isMap(up)) inSet(up.get('sse'), ['proxies', i, 'upstream', 'sse'], read, problems);
    });
  }
  return problems;
}

function inSet(set: unknown, at: ConfigPath, read: (file: string) => string, problems: ConfigProblem[]): void {
  if (!isMap(set)) return;
  for (const pair of (set as YAMLMap).items) {
    const field = keyOf(pair.key);
    const v = pair.value;
    if (!SECRET_FIELDS.has(field) || !isMap(v) || v.items.length !== 1 || keyOf(v.items[0]!.key) !== 'file') continue;
    const path: ConfigPath = [...at, field];
    const file = (v.items[0]!.value as Scalar | undefined)?.value;
    if (typeof file !== 'string' || file === '') {
      problems.push({ path, message: 'file: must name a file holding the value' });
      continue;
    }
    try {
      const text = read(file).replace(/\r?\n$/, '');
      const scalar = new Scalar(text);
      scalar.range = v.range;
      pair.value = scalar;
    } catch (err) {
      problems.push({ path, message: `cannot read the secret file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
    }
  }
}
