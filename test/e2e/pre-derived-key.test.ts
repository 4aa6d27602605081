// README "Configuration reference — credentials" and "Command line": `origin-signer signing-key`
// prints a pre-derived SigV4 key and its scope for a box that must not hold the secret. With that
// key (and no secret) in the config the proxy signs for today and the strict origin — which holds
// the real secret — accepts it; `check` is quiet. A key dated yesterday: `check` warns naming the
// date, and requests are answered 503 OS_ERR_CREDENTIALS_UNAVAILABLE (reason naming the date)
// without reaching the store. A scope for another region is refused at start-up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { sha256Hex } from '../support/generated-body.js';
import { BUCKET } from '../support/modes-fixture.js';
import { blockFor, startProxyCli, writeConfig } from '../support/proxy-cli.js';
import { serverErrorDetail } from '../support/access-lines.js';
import { raw } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';

const SECRET = 'pre/derived+SECRET=key0123456789abcdefXYZ';
const AKID = 'AKIDPREDERIVED000001';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with `args` (and extra env), bounded by a timeout; never hangs the suite. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(binPath, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`origin-signer ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

async function deriveKey(region: string, date?: string): Promise<{ accessKeyId: string; signingKey: string; keyScope: string; text: string }> {
  const args = ['signing-key', '--region', region, '--service', 's3', '--access-key-id', AKID, '--secret-key-env', 'E2E_SIGNING_SECRET', ...(date ? ['--date', date] : [])];
  const run = await cli(args, { E2E_SIGNING_SECRET: SECRET });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(!run.stdout.includes(SECRET), 'the secret is never printed');
  const entry = parse(run.stdout) as { accessKeyId: string; signingKey: string; keyScope: string };
  return { ...entry, text: run.stdout };
}

function configWith(originPort: number, key: { accessKeyId: string; signingKey: string; keyScope: string }, region = 'us-east-1'): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0 },
    credentials: { 'pre-derived': { accessKeyId: key.accessKeyId, signingKey: key.signingKey, keyScope: key.keyScope } },
    proxies: [blockFor(originPort, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'pre-derived', region })],
  };
}

test('a pre-derived signing key: today works, yesterday is refused with a reason, another region does not start', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [{ accessKeyId: AKID, secretAccessKey: SECRET }], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'hello.txt', 'signed without the secret\n', { contentType: 'text/plain' });

  await t.test("today's key: the config holds no secret, check is quiet, GET is accepted by the origin", async () => {
    const today = stamp(Date.now());
    const key = await deriveKey('us-east-1');
    assert.equal(key.accessKeyId, AKID);
    assert.equal(key.keyScope, `${today}/us-east-1/s3/aws4_request`);
    assert.equal(Buffer.from(key.signingKey, 'base64').length, 32);
    assert.match(key.text, new RegExp(`signs requests dated ${today} only`));

    const file = writeConfig(configWith(origin.port, key));
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(SECRET), 'the config file does not contain the secret');
    assert.doesNotMatch(text, /secretAccessKey/);
    assert.match(text, /signingKey:/);

    const check = await cli(['check', file]);
    assert.equal(check.code, 0, check.stderr);
    assert.doesNotMatch(check.stdout, /# warning:/, check.stdout);
    assert.ok(!check.stdout.includes(key.signingKey), 'check masks the signing key');

    const proxy = await startProxyCli(t, text);
    const before = origin.requests.length;
    const res = await raw(proxy.port, { path: '/p/hello.txt' });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    assert.equal(res.text, 'signed without the secret\n');
    const seen = origin.requests.slice(before);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.auth, 'v4-header');
    assert.equal(seen[0]!.accessKeyId, AKID);
    assert.match(String(seen[0]!.headers.authorization), new RegExp(`Credential=${AKID}/${today}/us-east-1/s3/aws4_request`));
  });

  await t.test("today's key signs uploads too: payload streaming (every chunk) and sha256", async () => {
    const key = await deriveKey('us-east-1');
    const config = configWith(origin.port, key);
    const blocks = config.proxies as Array<Record<string, unknown>>;
    for (const payload of ['streaming', 'sha256']) {
      blocks.push({ ...blocks[0], path: `/${payload}/`, signing: { version: 'v4', mode: 'header', payload }, methods: ['GET', 'PUT'] });
    }
    const proxy = await startProxyCli(t, config);
    for (const payload of ['streaming', 'sha256']) {
      const data = Buffer.alloc(200 * 1024 + 7, payload);
      const before = origin.requests.length;
      const put = await raw(proxy.port, { method: 'PUT', path: `/${payload}/upload.bin`, headers: { 'content-length': data.length }, body: data });
      assert.equal(put.status, 200, `${payload}: ${put.text.slice(0, 400)}`);
      const seen = origin.requests.slice(before);
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.status, 200);
      assert.equal(seen[0]!.headers['x-amz-content-sha256'], payload === 'streaming' ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' : sha256Hex(data));
      assert.ok((await origin.getObject(BUCKET, 'upload.bin'))?.equals(data), payload);
    }
  });

  await t.test("yesterday's key: check warns naming the date; GET is 503 OS_ERR_CREDENTIALS_UNAVAILABLE, nothing upstream", async () => {
    const yesterday = stamp(Date.now() - 86_400_000);
    const key = await deriveKey('us-east-1', yesterday);
    assert.equal(key.keyScope, `${yesterday}/us-east-1/s3/aws4_request`);
    const file = writeConfig(configWith(origin.port, key));

    const check = await cli(['check', file]);
    assert.equal(check.code, 0, `a stale key is a warning, not an error: ${check.stderr}`);
    const warnings = check.stdout.split('\n').filter((l) => l.startsWith('# warning:'));
    assert.equal(warnings.length, 1, check.stdout);
    assert.match(warnings[0]!, new RegExp(yesterday));

    const proxy = await startProxyCli(t, readFileSync(file, 'utf8'));
    const warned = proxy.logs().find((l) => l.level === 'warn' || l.level === 40);
    assert.ok(warned && JSON.stringify(warned).includes(yesterday), `the start-up log warns about the key's date: ${proxy.lines.join('\n')}`);
    const before = origin.requests.length;
    const res = await raw(proxy.port, { path: '/p/hello.txt' });
    assert.equal(res.status, 503, res.text.slice(0, 400));
    const { body: json, detail } = await serverErrorDetail(proxy, res);
    assert.equal(json.error, 'OS_ERR_CREDENTIALS_UNAVAILABLE');
    assert.match(detail, new RegExp(yesterday), 'the logged reason names the key date');
    assert.equal(json.block, '/p/');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(origin.requests.length, before, 'zero origin requests');
  });

  await t.test('a key scoped to another region is refused at start-up, naming proxies[0].credentials', async () => {
    const key = await deriveKey('us-west-2');
    const file = writeConfig(configWith(origin.port, key, 'us-east-1'));
    const run = await cli(['serve', '--config', file]);
    assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
    assert.match(run.stderr, /OS_ERR_CONFIG_INVALID/);
    assert.match(run.stderr, /proxies\[0\]\.credentials/);
    assert.match(run.stderr, /us-west-2/);
    const check = await cli(['check', file]);
    assert.equal(check.code, 1);
    assert.match(check.stderr, /proxies\[0\]\.credentials/);
  });
});
