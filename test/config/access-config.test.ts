// `access:` mistakes are config errors with their YAML path and line: a key file that cannot be
// read, a DSA or P-384 public key, a bad CIDR in allowIps, a secret header value under 8
// characters, an unknown key — in a block's access and in the top-level one — and none of them
// echoes a secret. `check` prints the effective access rules with the header values masked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { loadConfigFile, loadConfigText } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { RSA2048, keyPem, tempDir, writeFile } from '../support/access-fixtures.js';
import { binPath } from '../support/paths.js';

const SECRET_A = 'rotating-secret-AAAA-1111';
const SECRET_B = 'rotating-secret-BBBB-2222';
const NOW = (): number => Date.UTC(2026, 10, 23);

const indent = (text: string, n: number): string =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

/** One block on a local endpoint, with `access` YAML (already indented under `access:`). */
const config = (access: string, top = ''): string => `${top}proxies:
  - path: /vod/
    upstream: { bucket: vod-bucket, region: us-east-1, endpoint: "http://localhost:9000" }
    credentials: { accessKeyId: AKIDACCESSCONFIG01, secretAccessKey: access-config-secret-key }
    access:
${access}
`;

/** The 1-based line of the first line containing `marker`. */
function lineOf(text: string, marker: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(marker));
  assert.ok(i >= 0, `marker ${marker} not in the YAML`);
  return i + 1;
}

function problems(text: string): Array<{ path: string; line: number | undefined; message: string }> {
  let caught: unknown;
  try {
    loadConfigText(text, 'access.yaml', { env: {}, now: NOW });
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.code, 'OS_ERR_CONFIG_INVALID');
  for (const secret of [SECRET_A, SECRET_B, 'short7!']) assert.ok(!caught.message.includes(secret), 'no secret value in the error');
  return caught.problems.map((p) => ({ path: formatPath(p.path), line: p.line, message: p.message }));
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function expectOne(text: string, path: string, marker: string, message: RegExp): void {
  const got = problems(text);
  assert.equal(got.length, 1, JSON.stringify(got, null, 1));
  assert.equal(got[0]!.path, path);
  assert.equal(got[0]!.line, lineOf(text, marker), `line of ${path}`);
  assert.match(got[0]!.message, message);
}

describe('access config errors', () => {
  test('a key file that cannot be read', (t) => {
    const missing = `${tempDir(t)}/no-such-key.pem`;
    const text = config(`      signedUrls:\n        keys:\n          K2JCJMDEHXQW5F: ${missing}`);
    expectOne(text, 'proxies[0].access.signedUrls.keys.K2JCJMDEHXQW5F', 'K2JCJMDEHXQW5F:', /cannot use this public key: .*(ENOENT|no such file)/);
  });

  test('a file that holds no key', (t) => {
    const notPem = writeFile(tempDir(t), 'notes.txt', 'this is not a key\n');
    const text = config(`      signedUrls:\n        keys:\n          KNOTAKEY: ${notPem}`);
    expectOne(text, 'proxies[0].access.signedUrls.keys.KNOTAKEY', 'KNOTAKEY:', /cannot use this public key/);
  });

  test('a DSA public key (inline PEM)', () => {
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const text = config(`      signedUrls:\n        keys:\n          KDSA: |\n${indent(dsa, 12)}`);
    expectOne(text, 'proxies[0].access.signedUrls.keys.KDSA', 'KDSA:', /dsa key: CloudFront signs with RSA or ECDSA keys only/);
  });

  test('a P-384 public key (file)', (t) => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const file = writeFile(tempDir(t), 'p384.pem', p384);
    // Next to a good inline RSA key: only the P-384 one is a problem.
    const text = config(`      signedUrls:\n        keys:\n          K2JCJMDEHXQW5F: |\n${indent(keyPem(RSA2048.pub), 12)}\n          KP384: ${file}`);
    expectOne(text, 'proxies[0].access.signedUrls.keys.KP384', 'KP384:', /secp384r1: CloudFront takes P-256/);
  });

  test('a bad CIDR in allowIps', () => {
    const text = config('      allowIps:\n        - 10.0.0.0/8\n        - 10.0.0.0/33\n        - not-an-address');
    const got = problems(text);
    assert.deepEqual(
      got.map((p) => [p.path, p.line]),
      [
        ['proxies[0].access.allowIps[1]', lineOf(text, '10.0.0.0/33')],
        ['proxies[0].access.allowIps[2]', lineOf(text, 'not-an-address')],
      ],
    );
    for (const p of got) assert.match(p.message, /IPv4 or IPv6 address or CIDR/);
  });

  test('a requireHeader value shorter than 8 characters', () => {
    const text = config(`      requireHeader:\n        name: x-origin-secret\n        values:\n          - ${SECRET_A}\n          - short7!`);
    expectOne(text, 'proxies[0].access.requireHeader.values[1]', 'short7!', /at least 8 characters/);
  });

  test('an unknown key under access (block and top level)', () => {
    const block = config('      allowIp: [10.0.0.0/8]');
    expectOne(block, 'proxies[0].access.allowIp', 'allowIp:', /unknown key "allowIp"/);
    const nested = config('      signedUrls:\n        keys: { K1: /dev/null }\n        cookie: true');
    const got = problems(nested);
    assert.ok(got.some((p) => p.path === 'proxies[0].access.signedUrls.cookie' && p.line === lineOf(nested, 'cookie:') && /unknown key "cookie"/.test(p.message)), JSON.stringify(got));
    const top = config('      allowIps: [127.0.0.1]', 'access:\n  requireHeaders: { name: x-origin-secret, values: [rotating-secret-AAAA-1111] }\n');
    expectOne(top, 'access.requireHeaders', 'requireHeaders:', /unknown key "requireHeaders"/);
  });

  test('the top-level access is checked too: a bad key file and a short secret', (t) => {
    const missing = `${tempDir(t)}/absent.pem`;
    const text = config('      allowIps: [127.0.0.1]', 'access:\n  requireHeader: { name: x-origin-secret, values: [tiny] }\n');
    expectOne(text, 'access.requireHeader.values[0]', 'tiny', /at least 8 characters/);
    const keyOnly = config('      allowIps: [127.0.0.1]', `access:\n  signedUrls:\n    keys:\n      KTOP: ${missing}\n`);
    expectOne(keyOnly, 'access.signedUrls.keys.KTOP', 'KTOP:', /cannot use this public key/);
  });
});

test('check masks requireHeader values and shows the rest of the access rules', (t) => {
  const dir = tempDir(t);
  const keyFile = writeFile(dir, 'rsa2048-public.pem', keyPem(RSA2048.pub));
  const text = config(
    `      requireHeader:\n        name: X-Origin-Secret\n        values: [${SECRET_A}, ${SECRET_B}]\n      allowIps: [10.0.0.0/8]\n      signedUrls:\n        keys: { K2JCJMDEHXQW5F: ${keyFile} }\n        cookies: true\n        baseUrl: https://d111111abcdef8.cloudfront.net/`,
    `access:\n  requireHeader: { name: x-top-secret, values: ["\${TOP_SECRET}"] }\n`,
  ).replace('proxies:\n', `proxies:\n  - path: /default/\n    upstream: { bucket: default-bucket, region: us-east-1, endpoint: "http://localhost:9000" }\n    credentials: { accessKeyId: AKIDACCESSCONFIG02, secretAccessKey: access-config-secret-key }\n`);
  const file = writeFile(dir, 'config.yaml', text);
  const TOP = 'top-level-secret-from-env-3333';
  const r = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TOP_SECRET: TOP } });
  assert.equal(r.status, 0, r.stderr);
  for (const secret of [SECRET_A, SECRET_B, TOP]) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${secret} must not be printed`);
  assert.ok(!r.stdout.includes('BEGIN PUBLIC KEY'), 'keys are shown by type, not as PEM');
  const loaded = loadConfigFile(file, { env: { TOP_SECRET: TOP }, now: NOW });
  assert.deepEqual(loaded.config.proxies[1]!.access?.requireHeader?.values, [SECRET_A, SECRET_B], 'the real values are in the loaded config');
  // The block's own access, masked.
  assert.match(r.stdout, /access:\n\s+requireHeader:\n\s+name: x-origin-secret\n\s+values:\n\s+- "?\*{8}"?\n\s+- "?\*{8}"?\n\s+allowIps:\n\s+- 10\.0\.0\.0\/8\n\s+signedUrls:\n\s+keys:\n\s+K2JCJMDEHXQW5F: rsa public key\n\s+cookies: true\n\s+baseUrl: https:\/\/d111111abcdef8\.cloudfront\.net\n/);
  // The block without its own gets the top-level rules, masked as well.
  assert.match(r.stdout, /name: x-top-secret\n\s+values:\n\s+- "?\*{8}"?\n/);
});
