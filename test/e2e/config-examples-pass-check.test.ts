// The example configs in config/ (shipped in the package) run through `origin-signer check` as a
// user runs it, with the environment variables each one names: every file is valid (exit 0), its
// effective config says what its comments promise, and no secret value appears in the output —
// secrets come from ${ENV} and are masked. A new example fails here until it is listed below.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { binPath, repoRoot } from '../support/paths.js';

const configDir = join(repoRoot, 'config');

/** Values a leak would show: each distinctive, none a prefix of another. */
const SECRETS = {
  INGEST_SECRET_ACCESS_KEY: 'example-INGEST-secret-0001',
  MINIO_SECRET_KEY: 'example-MINIO-secret-0002',
  LEGACY_SECRET_KEY: 'example-LEGACY-secret-0003',
  VOD_SECRET: 'example-VOD-secret-0004',
  CDN_ORIGIN_SECRET: 'example-CDN-origin-secret-0005',
  LIVE_SECRET_ACCESS_KEY: 'example-LIVE-secret-0006',
  SITE_SECRET_FROM_FILE: 'example-SITE-secret-from-a-file-0007',
};

interface Block {
  path: string;
  upstream: Record<string, unknown>;
  signing: Record<string, unknown>;
  methods: string[];
  access?: Record<string, unknown>;
  cache?: Record<string, unknown>;
  site?: Record<string, unknown>;
  cors?: Record<string, unknown>;
  hosts?: string[];
}

/** Per file: the variables it needs besides the secrets, and what its comments promise. */
const EXAMPLES: Record<string, { env: Record<string, string>; expect: (blocks: Map<string, Block>) => void }> = {
  'vod-reads.yaml': {
    env: {},
    expect: (b) => {
      const vod = b.get('/vod/')!;
      assert.equal(vod.signing.version, 'v4');
      assert.equal(vod.upstream.addressing, 'virtual');
      assert.deepEqual(vod.methods, ['GET', 'HEAD']);
    },
  },
  'encoder-ingest.yaml': {
    env: { INGEST_ACCESS_KEY_ID: 'AKIDEXAMPLEINGEST' },
    expect: (b) => {
      const ingest = b.get('/ingest/')!;
      assert.equal(ingest.signing.payload, 'streaming');
      assert.deepEqual(ingest.methods, ['PUT', 'DELETE']);
      assert.deepEqual(b.get('/live/')!.methods, ['GET', 'HEAD']);
    },
  },
  'several-stores.yaml': {
    env: { MINIO_ACCESS_KEY: 'MINIOEXAMPLEKEY', LEGACY_ACCESS_KEY: 'LEGACYEXAMPLEKEY' },
    expect: (b) => {
      const onprem = b.get('/onprem/')!;
      assert.equal(onprem.upstream.addressing, 'path');
      assert.equal(onprem.signing.version, 'v4');
      assert.equal(b.get('/archive/')!.signing.version, 'v2');
      assert.equal(b.get('/eu/')!.upstream.endpoint, 'https://s3.eu-central-1.amazonaws.com');
    },
  },
  'viewer-access.yaml': {
    env: { VOD_ACCESS_KEY_ID: 'AKIDEXAMPLEVOD' }, // CLOUDFRONT_PUBLIC_KEY_FILE: set by the test
    expect: (b) => {
      assert.ok(b.get('/vod/')!.access?.requireHeader, '/vod/ inherits the top-level secret header');
      const premium = b.get('/premium/')!.access!;
      assert.ok(premium.requireHeader && premium.signedUrls, JSON.stringify(premium));
      assert.deepEqual(Object.keys(b.get('/internal/')!.access!), ['allowIps']);
    },
  },
  'live-shield.yaml': {
    env: { LIVE_ACCESS_KEY_ID: 'AKIDEXAMPLELIVE' },
    expect: (b) => {
      assert.deepEqual(b.get('/live/')!.cache, { ttl: 2, maxTtl: 86400, notFoundTtl: 1, staleWhileRevalidate: 2, staleIfError: 3600, key: { query: [] } });
      assert.equal(b.get('/vod/')!.cache!.slice, 1024 ** 2);
    },
  },
  'static-site.yaml': {
    env: { SITE_ACCESS_KEY_ID: 'AKIDEXAMPLESITE' }, // SITE_SECRET_FILE: set by the test
    expect: (b) => {
      // Two blocks at / for different hosts: the effective config lists both; the map keeps the last.
      assert.deepEqual(b.get('/')!.hosts, ['app.example.com']);
      assert.equal(b.get('/')!.site!.spaFallback, '/index.html');
      assert.deepEqual(b.get('/media/')!.cors!.origins, ['https://player.example.com', 'https://*.example.org']);
    },
  },
};

test('every example in config/ passes `origin-signer check` with its environment, secrets masked', async (t) => {
  const files = readdirSync(configDir).filter((f) => f.endsWith('.yaml')).sort();
  assert.deepEqual(files, Object.keys(EXAMPLES).sort(), 'each example in config/ is listed in this test with the environment it needs');

  const dir = mkdtempSync(join(tmpdir(), 'os-examples-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const publicKeyFile = join(dir, 'cloudfront-public.pem');
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  // A mounted secret as Docker and Kubernetes write it: the value and a newline.
  const secretFile = join(dir, 'site-secret');
  writeFileSync(secretFile, `${SECRETS.SITE_SECRET_FROM_FILE}\n`);

  for (const file of files) {
    await t.test(file, () => {
      const path = join(configDir, file);
      const text = readFileSync(path, 'utf8');
      // A secret written into the file itself would be masked in the output too: catch it here.
      for (const m of text.matchAll(/^\s*(secretAccessKey|sessionToken|signingKey):\s*(\S.*)$/gm)) {
        assert.match(m[2]!, /^("?\$\{[A-Z0-9_]+(:-[^}]*)?\}"?|\{ file: "\$\{[A-Z0-9_]+(:-[^}]*)?\}" \})\s*(#.*)?$/, `${file}: ${m[1]} comes from the environment or a file it names`);
      }
      const env = { ...process.env, ...SECRETS, ...EXAMPLES[file]!.env, CLOUDFRONT_PUBLIC_KEY_FILE: publicKeyFile, SITE_SECRET_FILE: secretFile };
      const r = spawnSync(binPath, ['check', path], { env, encoding: 'utf8', timeout: 20_000 });
      assert.equal(r.status, 0, `${file}: exit ${r.status}\n${r.stderr}${r.stdout.slice(0, 2000)}`);
      assert.ok(r.stdout.startsWith(`# ${path}: valid\n`), r.stdout.slice(0, 200));
      assert.doesNotMatch(r.stdout, /^# warning/m, `${file}: no warnings`);
      for (const [name, secret] of Object.entries(SECRETS)) {
        for (const out of [r.stdout, r.stderr]) {
          assert.ok(!out.includes(secret), `${file}: the value of ${name} appears in the output`);
        }
      }
      const eff = parse(r.stdout) as { proxies: Block[] };
      EXAMPLES[file]!.expect(new Map(eff.proxies.map((b) => [b.path, b])));
    });
  }
});
