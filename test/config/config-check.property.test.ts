// "Bad input gets a clear answer": whatever a config file holds, `check` and start-up answer with
// problems, never an exception, each problem on a line of the file, and neither a problem nor
// `check`'s output (text or JSON, problems or the effective config) shows a secret.
// fast-check mutates working configs — the examples in config/ and one using every feature — by
// replacing any node with an odd value, deleting it, wrapping it in a list or a map, or adding a
// key where keys are known, a few times each; the cross-field checks run on such half-valid input.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { checkCommand } from '../../src/commands/check.js';
import { checkConfigText, loadConfigText } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';
import { fixture, repoRoot } from '../support/paths.js';
import { secretForms } from '../support/secret-registry.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 600);
const SEED = Number(process.env.PROPERTY_SEED ?? 7);
const NOW = () => Date.UTC(2026, 11, 7);

/** Keys whose values (and everything below them) are secrets; and `requireHeader.values`. */
const SECRET_KEY = /^(secretAccessKey|sessionToken|signingKey|customerKey)$/;

const exampleDir = join(repoRoot, 'config');
const seedTexts = [...readdirSync(exampleDir).filter((f) => f.endsWith('.yaml')).map((f) => join(exampleDir, f)), fixture('config/every-feature.yaml')].map((f) => readFileSync(f, 'utf8'));
/** The files the examples name through `${…_FILE}`: a CloudFront public key and a secret. */
const files = mkdtempSync(join(tmpdir(), 'os-config-property-'));
after(() => rmSync(files, { recursive: true, force: true }));
const FILE_ENV = {
  CLOUDFRONT_PUBLIC_KEY_FILE: join(files, 'cloudfront.pem'),
  SITE_SECRET_FILE: join(files, 'site-secret'),
};
writeFileSync(FILE_ENV.CLOUDFRONT_PUBLIC_KEY_FILE, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
/** Where each mutated config is written for `check`, which reads a file. */
const MUTATED = join(files, 'mutated.yaml');
const SITE_SECRET = 'file-SITE-secret-Zq7/x+9=value';
writeFileSync(FILE_ENV.SITE_SECRET_FILE, `${SITE_SECRET}\n`);
/** Every other `${VAR}` the seeds use, set to a value that is easy to find if it leaks. */
const ENV: Record<string, string> = {
  ...Object.fromEntries(
    [...new Set(seedTexts.flatMap((t) => [...t.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]!)))].map((name) => [name, name === 'PORT' ? '8080' : `env-${name}-Zq7/x+9=value`]),
  ),
  ...FILE_ENV,
};
const seeds = seedTexts.map((t) => parse(t) as unknown);

/** What a hand-edited file gets wrong: wrong types, empty and huge values, near-miss spellings. */
const ODD = [null, 0, -1, 1.5, 1e309, '', ' ', 'x', '*', '/', '//', '%', '${', '${UNSET_IN_THIS_TEST}', [], {}, [1], { a: 1 }, true, 'true', '0', '-5', '1e3', 'ö', 'a'.repeat(300), [null], [[]], { '': 1 },
  'arn:aws:s3::1:accesspoint/x.mrap', 'arn:aws:s3:us-east-1:1:accesspoint/ap', 'http://', 'http://[::1', 'ftp://x', 'us-east-1', 'v4a', 'v2', 'query', 'header', 'streaming', 'redirect', 'path', 'virtual',
  'mediastore', 's3', 'GET', ['GET', 'PUT'], '10.0.0.0/33', 'b--usw2-az1--x-s3', 'x-amz-date', 'authorization', 1024, '1 MiB', '1x', { file: '/nonexistent/secret' }];
const KEYS = ['cache', 'site', 'access', 'signing', 'upstream', 'pool', 'credentials', 'methods', 'responseHeaders', 'cors', 'spool', 'shared', 'memory', 'disk', 'slice', 'key', 'query',
  'requireHeader', 'signedUrls', 'allowIps', 'sse', 'requestPayer', 'accessPoint', 'regionSet', 'region', 'endpoint', 'addressing', 'type', 'version', 'mode', 'payload', 'expires', 'ttl',
  'index', 'listing', 'errorPages', 'log', 'server', 'workers', 'trustProxy', 'path', 'bucket', 'keyPrefix', 'source', 'roleArn', 'file', 'sessionToken', 'secretAccessKey'];

type Path = Array<string | number>;
type Mutation = { at: number; op: 'set' | 'delete' | 'wrap' | 'add'; value: unknown; key: string; inList: boolean };

function pathsOf(v: unknown, p: Path = [], out: Path[] = []): Path[] {
  out.push(p);
  if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) pathsOf((v as Record<string, unknown>)[k], [...p, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

const get = (root: unknown, p: Path): unknown => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);

/** `root` with one mutation applied (in place below the top; the top level may be replaced). */
function mutate(root: unknown, m: Mutation): unknown {
  const paths = pathsOf(root);
  const p = paths[m.at % paths.length]!;
  const here = get(root, p);
  const next = m.op === 'set' ? m.value : m.op === 'wrap' ? (m.inList ? [here] : { [m.key]: here }) : here;
  if (m.op === 'add') {
    if (here !== null && typeof here === 'object' && !Array.isArray(here)) (here as Record<string, unknown>)[m.key] = m.value;
    return root;
  }
  if (p.length === 0) return m.op === 'delete' ? {} : next;
  const parent = get(root, p.slice(0, -1)) as Record<string | number, unknown>;
  const k = p.at(-1)!;
  if (m.op !== 'delete') parent[k] = next;
  else if (Array.isArray(parent)) parent.splice(k as number, 1);
  else delete parent[k];
  return root;
}

/** The secret strings a document holds where secrets go, as the proxy would read them. */
function secretsOf(v: unknown, key = '', parentKey = '', inSecret = false, out: string[] = []): string[] {
  const secret = inSecret || SECRET_KEY.test(key) || parentKey === 'values';
  if (typeof v === 'string' && secret) {
    const env = /^\$\{([A-Z0-9_]+)/.exec(v)?.[1];
    // `{ file: path }`: the secret is what the file holds, the path is not one.
    const value = key === 'file' ? (env === 'SITE_SECRET_FILE' ? SITE_SECRET : undefined) : env ? ENV[env] : v;
    if (value) out.push(value);
  } else if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v)) secretsOf(child, k, key, secret, out);
  return out;
}

/** The seeds' own secrets: a mutation may put other strings where secrets go, those are not secret. */
const SEED_SECRETS = new Set(seeds.flatMap((seed) => secretsOf(seed)));

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set', 'delete', 'wrap', 'add'),
  value: fc.oneof(fc.constantFrom(...ODD), fc.jsonValue({ maxDepth: 2 })),
  key: fc.constantFrom(...KEYS),
  inList: fc.boolean(),
});

test('the seeds are working configs (or the property would only ever see broken ones)', () => {
  assert.ok(SEED_SECRETS.size >= 10, `${SEED_SECRETS.size} secrets in the seeds`);
  const secrets = [...SEED_SECRETS].flatMap((x) => secretForms(x));
  for (const text of seedTexts) {
    assert.ok(checkConfigText(text, 'seed.yaml', { env: ENV, now: NOW }).config, text.slice(0, 200));
    // `check` of a valid config shows the effective config, every secret masked.
    writeFileSync(MUTATED, text);
    for (const json of [false, true]) {
      const out = checkCommand({ file: MUTATED, json, allowMissingEnv: false, env: ENV, now: NOW });
      assert.equal(out.exitCode, 0, out.stderr);
      for (const x of secrets) assert.ok(!out.stdout.includes(x), `check${json ? ' --json' : ''} shows a secret`);
    }
  }
});

test('a mutated config is answered with located problems, never an exception, never a secret', () => {
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) => {
      const doc = mutations.reduce(mutate, structuredClone(seeds[which]));
      const text = stringify(doc);
      const report = checkConfigText(text, 'mutated.yaml', { env: ENV, now: NOW });
      // Raw, percent-encoded and JSON-escaped (the seeds' secrets hold `/`, `+` and `=`).
      const secrets = secretsOf(doc)
        .filter((x) => SEED_SECRETS.has(x))
        .flatMap((x) => secretForms(x));
      const shown = [...report.problems, ...report.warnings].map((p) => {
        assert.ok(p.message.length > 0, 'a problem says what is wrong');
        assert.equal(typeof p.line, 'number', `${formatProblem('mutated.yaml', p)}: no line`);
        return formatProblem('mutated.yaml', p);
      });
      for (const line of shown) for (const s of secrets) assert.ok(!line.includes(s), `a problem shows a secret: ${line}`);
      // Start-up refuses exactly when check finds problems, and its error lists each of them.
      let startError: Error | undefined;
      try {
        loadConfigText(text, 'mutated.yaml', { env: ENV, now: NOW });
      } catch (err) {
        startError = err as Error;
      }
      assert.equal(startError !== undefined, report.problems.length > 0, String(startError));
      if (startError) {
        assert.equal((startError as { code?: string }).code, 'OS_ERR_CONFIG_INVALID', String(startError));
        for (const line of shown) assert.ok(startError.message.includes(line), `start-up's error leaves out: ${line}`);
      }
      // `check`, in text and JSON: the problems, or the effective config with every secret masked.
      writeFileSync(MUTATED, text);
      for (const json of [false, true]) {
        const out = checkCommand({ file: MUTATED, json, allowMissingEnv: false, env: ENV, now: NOW });
        assert.equal(out.exitCode, report.problems.length > 0 ? 1 : 0, out.stderr);
        for (const s of secrets) assert.ok(!out.stdout.includes(s) && !out.stderr.includes(s), `check${json ? ' --json' : ''} shows a secret:\n${out.stdout}${out.stderr}`);
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
});
