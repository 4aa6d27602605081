// README "Shield cache → Shared tier": `rediss://` with `caFile`. redis-server listens with TLS
// only, its certificate signed by a CA made here; replicas given that CA share entries through it.
// Without the CA file (the system's CAs do not know this one) the handshake is refused: served
// from the store all the same, and warned about once.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { BUCKET } from '../support/origin-client.js';
import { startRedis, redisSkipReason } from '../support/redis.js';
import { replicas, sharedConfig, sharedOrigin, storeGets } from '../support/shared-fleet.js';
import { freePort } from '../support/sockets.js';
import { waitFor } from '../support/wait-for.js';

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl. */
function certificates(t: TestContext): { dir: string; ca: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'os-redis-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const f = (n: string): string => join(dir, n);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=origin-signer test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('ext.cnf'));
  return { dir, ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

test('rediss:// with caFile: entries shared over TLS; without the CA, refused and served from the store', { skip: redisSkipReason(), timeout: 60_000 }, async (t) => {
  const c = certificates(t);
  const tlsPort = await freePort();
  await startRedis(t, { args: ['--port', '0', '--tls-port', String(tlsPort), '--tls-cert-file', c.cert, '--tls-key-file', c.key, '--tls-ca-cert-file', c.ca, '--tls-auth-clients', 'no'] });
  const origin = await sharedOrigin(t);
  await origin.putObject(BUCKET, 'tls.ts', 'over TLS\n');
  await origin.putObject(BUCKET, 'untrusted.ts', 'no CA\n');
  const url = `rediss://127.0.0.1:${tlsPort}/0`;

  const [a, b] = await replicas(t, 2, sharedConfig(origin.port, url, { shared: { caFile: c.ca } }));
  assert.equal((await a!.get('/live/tls.ts')).headers['x-cache'], 'MISS');
  const scan = (): string => execFileSync('redis-cli', ['--tls', '--cacert', c.ca, '-h', '127.0.0.1', '-p', String(tlsPort), '--scan', '--pattern', 'origin-signer:1:e:*'], { encoding: 'utf8' }).trim();
  await waitFor(() => scan() !== '', 'the entry in Redis');
  assert.equal((await b!.get('/live/tls.ts')).headers['x-cache'], 'HIT');
  assert.equal(storeGets(origin, 'tls.ts'), 1);

  const [untrusting] = await replicas(t, 1, sharedConfig(origin.port, url), { connected: false });
  for (let i = 0; i < 3; i++) {
    const r = await untrusting!.get('/live/untrusted.ts');
    assert.equal(r.status, 200);
    assert.equal(r.text, 'no CA\n');
  }
  assert.equal(storeGets(origin, 'untrusted.ts'), 1);
  await waitFor(() => untrusting!.logs.some((l) => l.level === 'warn' && String(l.msg).includes('shared cache')), 'the warning');
  const warned = untrusting!.logs.filter((l) => l.level === 'warn' && String(l.msg).includes('shared cache'));
  assert.equal(warned.length, 1);
  assert.match(String(warned[0]!.reason), /certificate|self.signed|issuer/i);
});
