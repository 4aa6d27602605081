// Regression (hunt, 2026-12-07): a reload that failed after its config was validated — new cache
// stores that could not open — closed the running shield first and then rejected, unhandled: the
// process exited on SIGHUP, or served on closed stores. openShield now never closes the running
// shield (the reload does, once the new config is swapped in), and a reload never rejects
// (reloadTrigger): it is refused and counted.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CacheStores } from '../../../src/config/types.js';
import { createLogger } from '../../../src/log/logger.js';
import { reloadTrigger } from '../../../src/server/reload-trigger.js';
import { openShield } from '../../../src/server/shield-lifecycle.js';

const deps = { clock: Date.now, log: createLogger('silent'), onEvict: () => {} };
const memoryOnly = { memory: { maxBytes: 16 * 1024 * 1024, maxObjectBytes: 1024 * 1024 } } as unknown as CacheStores;

test('stores that cannot open leave the running shield open', async () => {
  const running = await openShield(memoryOnly, undefined, deps);
  assert.ok(running);
  // A directory as the CA file, past `check` (a store config is taken as resolved here).
  const broken = { ...memoryOnly, shared: { url: 'rediss://127.0.0.1:6390', maxObjectBytes: 1024, ttlCapMs: 1000, timeoutMs: 200, lockMs: 1000, caFile: mkdtempSync(join(tmpdir(), 'os-ca-dir-')) } } as unknown as CacheStores;
  let closed = 0;
  const close = running.close.bind(running);
  running.close = () => (closed++, close());
  await assert.rejects(openShield(broken, running, deps), /EISDIR|directory/i);
  assert.equal(closed, 0, 'the running shield was not closed');
  // New stores that open leave the old ones open too: they serve until the swap, then the
  // reload closes them (a review found them closed while credentials were still being fetched).
  const next = await openShield({ ...memoryOnly, memory: { ...memoryOnly.memory, maxBytes: 8 * 1024 * 1024 } } as CacheStores, running, deps);
  assert.ok(next && next !== running);
  assert.equal(closed, 0);
  await next.close();
  await running.close();
});

test('a reload that throws is answered as refused, never as a rejection', async () => {
  let failed = 0;
  const trigger = reloadTrigger('/nowhere.yaml', () => Promise.reject(new Error('EISDIR: illegal operation on a directory')), { log: createLogger('silent'), onFailed: () => failed++ });
  const r = await trigger.reload();
  assert.deepEqual(r, { ok: false, problems: ['EISDIR: illegal operation on a directory'] });
  assert.equal(failed, 1);
  // The queue goes on: a later reload runs.
  assert.equal((await trigger.reload()).ok, false);
  assert.equal(failed, 2);
});
