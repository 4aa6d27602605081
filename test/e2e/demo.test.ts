// `npm start` with no config runs the demo (README "The demo"): the strict origin and the proxy
// in front of it, printing curl lines. Run exactly as printed, the direct request is refused by the
// bucket and the proxied ones are served; SIGTERM stops the demo cleanly. PORT=0 picks a free port.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { binPath } from '../support/paths.js';
import * as strictOrigin from '@origin-signer/strict-origin';
import type { DemoStrictOrigin } from '../../src/demo/demo.js';

// demo.ts loads the strict origin through a variable (a production build must not need the
// package) and types it with its own view of the API: checked against the package here.
void (strictOrigin satisfies DemoStrictOrigin);

interface Curl {
  readonly url: string;
  readonly headers: Record<string, string>;
}

/** Parses `curl -i [-H 'Name: value'] URL` as the demo prints it. */
function parseCurl(line: string): Curl {
  const headers: Record<string, string> = {};
  for (const m of line.matchAll(/-H '([^:']+):\s*([^']*)'/g)) headers[m[1]!] = m[2]!;
  const url = /(https?:\/\/\S+)\s*$/.exec(line)?.[1];
  assert.ok(url, `no URL in ${JSON.stringify(line)}`);
  return { url, headers };
}

function get(c: Curl): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(c.url);
    // The path goes exactly as printed (curl does not re-encode it either).
    const req = request({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, headers: c.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('the demo: PORT=0, the printed curl lines work as described, SIGTERM exits 0', async (t) => {
  const child = spawn(binPath, ['serve'], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not print its instructions within 15 s\nstdout:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`)), 15_000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      stdout.push(l);
      if (l.includes('Ctrl-C stops both')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code} before printing its instructions\nstderr:\n${stderr.join('\n')}`));
    });
  });

  const curls = stdout.filter((l) => /^\s*curl /.test(l)).map(parseCurl);
  assert.equal(curls.length, 4, stdout.join('\n'));
  const [direct, hello, awkward, range] = curls as [Curl, Curl, Curl, Curl];
  for (const c of curls) assert.notEqual(new URL(c.url).port, '0', `PORT=0 must print the real port: ${c.url}`);
  assert.notEqual(new URL(hello.url).port, '8080', 'PORT=0 was ignored');
  assert.notEqual(new URL(direct.url).port, new URL(hello.url).port, 'origin and proxy are different servers');

  const refused = await get(direct);
  assert.equal(refused.status, 403, refused.body);
  assert.match(refused.body, /<Code>AccessDenied<\/Code>/);

  const served = await get(hello);
  assert.equal(served.status, 200, served.body);
  assert.equal(served.body, 'Hello from a private bucket, signed by origin-signer.\n');
  assert.match(String(served.headers['content-type']), /^text\/plain/);
  assert.equal(new URL(hello.url).pathname.replace(/^\/demo\//, ''), new URL(direct.url).pathname.replace(/^\/demo-bucket\//, ''), 'the same object');

  const awkwardRes = await get(awkward);
  assert.equal(awkwardRes.status, 200, `${awkward.url}: ${awkwardRes.body}`);
  assert.equal(awkwardRes.body, 'Espresso 2.40\nCroissant 1.90\n');

  assert.deepEqual(range.headers, { Range: 'bytes=0-4' });
  const partial = await get(range);
  assert.equal(partial.status, 206, partial.body);
  assert.equal(partial.body, 'Hello');
  assert.match(String(partial.headers['content-range']), /^bytes 0-4\/\d+$/);

  child.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.equal(signal, null, 'exited by itself, not killed by the signal');
  assert.equal(code, 0, stderr.join('\n'));
});
