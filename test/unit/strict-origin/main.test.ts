/** The CLI runner prints its URL and serves until SIGTERM. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { raw } from '../../support/origin-client.js';

const main = fileURLToPath(import.meta.resolve('@origin-signer/strict-origin/main'));

test('main.js --port 0 prints a URL that answers S3 errors', async (t) => {
  const child = spawn(process.execPath, [main, '--port', '0', '--access-key', 'AK', '--secret-key', 'SK', '--bucket', 'b'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] as string);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  assert.match(line, /^http:\/\/127\.0\.0\.1:\d+$/);
  const port = Number(new URL(line).port);
  const r = await raw(port, { path: '/b/k', headers: { Host: `127.0.0.1:${port}` } });
  assert.equal(r.status, 403);
  assert.match(r.text, /<Code>AccessDenied<\/Code>/);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});

test('main.js without keys exits with an error', async () => {
  const child = spawn(process.execPath, [main, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(err, /--access-key and --secret-key are required/);
});
