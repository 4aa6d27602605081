// Signer micro-benchmark (npm run bench:signer): our SigV4 header and query signing against
// @smithy/signature-v4 (what the AWS SDK v3 ships) and aws4, on the same request, in one run.
// Each signs a fresh request every iteration (a proxy signs every request), with the derived-key
// caches each library has warm, as in a long-running process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import aws4 from 'aws4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { signV4Header } from '../src/signing/v4/sign-header.js';
import { presignV4 } from '../src/signing/v4/presign.js';
import { SigningKeyCache } from '../src/signing/v4/signing-key.js';
import { toAmzDate } from '../src/signing/amz-date.js';
import { UNSIGNED_PAYLOAD } from '../src/signing/types.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const credentials = { accessKeyId: 'AKIDEXAMPLE000000001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const host = 'my-private-vod.s3.eu-central-1.amazonaws.com';
const path = '/media/videos/2026/Episode%2001%20%28final%29/segment_00042.ts';
const headers: Array<[string, string]> = [['host', host], ['range', 'bytes=0-1048575'], ['if-none-match', '"9b2cf535f27731c974343645a3985328"']];
const date = new Date('2026-11-23T12:00:00Z');

/** smithy with a node:crypto hash (its fastest configuration in Node, as the SDK's). */
class NodeHash {
  #h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | Uint8Array) {
    this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? Buffer.from(secret) : secret);
  }
  update(d: string | Uint8Array): void {
    this.#h.update(typeof d === 'string' ? Buffer.from(d) : d);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
  reset(): void {}
}
void Sha256;
const smithy = new SignatureV4({ credentials, region: 'eu-central-1', service: 's3', sha256: NodeHash as never, uriEscapePath: false, applyChecksum: false });
const cache = new SigningKeyCache();
const ctx = { region: 'eu-central-1', service: 's3', uriRule: 's3' as const, keyCache: cache };

const bench = new Bench({ time: Number(process.env.BENCH_MS ?? 1500) });
bench
  .add('origin-signer signV4Header', () => {
    signV4Header({ method: 'GET', path, query: '', headers }, credentials, ctx, { amzDate: toAmzDate(date.getTime()), payloadHash: UNSIGNED_PAYLOAD, contentSha256Header: true });
  })
  .add('@smithy/signature-v4 sign', async () => {
    await smithy.sign(new HttpRequest({ method: 'GET', protocol: 'https:', hostname: host, path, headers: { ...Object.fromEntries(headers), 'x-amz-content-sha256': UNSIGNED_PAYLOAD } }), { signingDate: date });
  })
  .add('aws4 sign', () => {
    aws4.sign({ host, path, method: 'GET', service: 's3', region: 'eu-central-1', headers: { range: 'bytes=0-1048575', 'if-none-match': '"9b2cf535f27731c974343645a3985328"', 'X-Amz-Date': toAmzDate(date.getTime()), 'X-Amz-Content-Sha256': UNSIGNED_PAYLOAD } }, credentials);
  })
  .add('origin-signer presignV4', () => {
    presignV4({ method: 'GET', path, query: '', headers: [['host', host]] }, credentials, ctx, { amzDate: toAmzDate(date.getTime()), expires: 300, payloadHash: UNSIGNED_PAYLOAD });
  })
  .add('@smithy/signature-v4 presign', async () => {
    await smithy.presign(new HttpRequest({ method: 'GET', protocol: 'https:', hostname: host, path, headers: { host } }), { signingDate: date, expiresIn: 300 });
  })
  .add('aws4 presign (signQuery)', () => {
    aws4.sign({ host, path, method: 'GET', service: 's3', region: 'eu-central-1', signQuery: true, headers: { 'X-Amz-Date': toAmzDate(date.getTime()) } }, credentials);
  });

await bench.run();
const rows = bench.tasks.map((t) => {
  const r = t.result as { throughput?: { mean: number }; latency?: { mean: number } } | undefined;
  return { name: t.name, opsPerSec: r?.throughput?.mean ?? 0, usPerOp: (r?.latency?.mean ?? 0) * 1000 };
});
const by = (n: string) => rows.find((r) => r.name === n)!;
const lines = [
  `# Signer micro-benchmark — ${new Date().toISOString()}`,
  '',
  `Node ${process.version}. Same request (a ranged, conditional GET of an S3 key with spaces and parentheses), signing keys cached.`,
  '',
  '| signer | ops/s | µs per signature | vs @smithy/signature-v4 |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => {
    const base = r.name.includes('presign') ? by('@smithy/signature-v4 presign') : by('@smithy/signature-v4 sign');
    return `| ${r.name} | ${r.opsPerSec.toFixed(0)} | ${r.usPerOp.toFixed(2)} | ${(r.opsPerSec / base.opsPerSec).toFixed(2)}× |`;
  }),
  '',
];
const report = lines.join('\n');
writeFileSync(join(ROOT, 'bench', 'results', 'signer-latest.md'), report);
console.log(report);
