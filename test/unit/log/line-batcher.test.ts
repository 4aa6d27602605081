// log/line-batcher.ts: the access log's batching writer, against real files and real pipes to
// child processes: whole lines in writes of at most 4 KiB (PIPE_BUF), or at the periodic flush, every byte arrives when
// the pipe's reader is slow (short writes, EAGAIN), a batch is dropped — not the proxy stalled for
// good — when the reader never reads, and a reader that has gone (EPIPE) stops the log once, with
// no exception reaching the request path.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { LineBatcher } from '../../../src/log/line-batcher.js';

const line = (i: number): string => `{"level":"info","reqId":"${String(i).padStart(8, '0')}","path":"/p/ü/${i}","msg":"request"}\n`;

function tempFile(t: TestContext): { fd: number; read: () => string } {
  const dir = mkdtempSync(join(tmpdir(), 'batcher-'));
  const file = join(dir, 'out.log');
  const fd = openSync(file, 'w');
  t.after(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  return { fd, read: () => readFileSync(file, 'utf8') };
}

/** The parent's end of a child's stdin pipe. */
function stdinFd(child: ChildProcess): number {
  const fd = (child.stdin as unknown as { _handle: { fd: number } })._handle.fd;
  assert.ok(fd > 2);
  return fd;
}

/**
 * A FIFO read by `script` (which gets the FIFO's path as $0 and holds it open on fd 3), and our
 * end of it opened O_NONBLOCK — as standard output is when it is a non-blocking pipe. (A child's
 * stdin pipe is non-blocking on the parent's side on Node 20 but not on Node 24.)
 */
async function fifoTo(t: TestContext, script: string, args: string[] = []): Promise<{ fd: number; child: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'batcher-fifo-'));
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const child = spawn('sh', ['-c', script, fifo, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let fd = -1;
  // Opening a FIFO to write without blocking fails (ENXIO) until its reader has it open.
  for (let i = 0; i < 500 && fd < 0; i++) {
    try {
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  assert.ok(fd >= 0, 'the reader opened the FIFO');
  t.after(() => {
    child.kill();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  return { fd, child };
}

test('whole lines are held up to 4 KiB and written together, never a batch over 4 KiB', (t) => {
  const out = tempFile(t);
  const b = new LineBatcher(out.fd, { batchLength: 4096, flushMs: 60_000 });
  t.after(() => b.end());
  let held = '';
  for (let i = 0; held.length + line(i).length <= 4096; i++) {
    b.write(line(i));
    held += line(i);
  }
  assert.ok(held.length > 4000);
  assert.equal(out.read(), '', 'nothing written while the batch fits in 4 KiB');
  // The next line would not fit: what is held goes out first (one atomic pipe write), the line waits.
  b.write(line(9999));
  assert.equal(out.read(), held);
  b.flushSync();
  assert.equal(out.read(), held + line(9999));
  // A line longer than a batch is written on its own, whole.
  const long = `{"path":"${'x'.repeat(5000)}"}\n`;
  b.write(long);
  assert.equal(out.read(), held + line(9999) + long);
});

test('a held line is written by the periodic flush, and flushSync writes at once', async (t) => {
  const out = tempFile(t);
  const b = new LineBatcher(out.fd, { batchLength: 4096, flushMs: 50 });
  t.after(() => b.end());
  b.write(line(1));
  assert.equal(out.read(), '');
  // No flushSync and no full batch: only the 50 ms timer can write it.
  const end = performance.now() + 5_000;
  while (out.read() === '' && performance.now() < end) await new Promise((r) => setTimeout(r, 10));
  assert.equal(out.read(), line(1));
  b.write(line(2));
  b.flushSync();
  assert.equal(out.read(), line(1) + line(2));
});

for (const batchLength of [4096, 100_000]) {
  // 4 KiB batches fill the pipe and meet EAGAIN; 100 KB ones are larger than the pipe: short writes.
  test(`a slow reader on a pipe gets every byte (batches of ${batchLength} characters)`, { timeout: 30_000 }, async (t) => {
    let bytes = 0;
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      lines.push(line(i));
      bytes += Buffer.byteLength(line(i));
    }
    // The reader starts reading half a second late (the 64 KiB pipe fills long before) and counts
    // exactly the bytes expected: a byte missing would leave it waiting.
    const { fd, child } = await fifoTo(t, 'exec 3<>"$0"; sleep 0.5; head -c "$1" <&3 | wc -c', [String(bytes)]);
    let counted = '';
    child.stdout!.on('data', (c: Buffer) => (counted += c.toString()));
    const closed = new Promise((r) => child.on('close', r));
    const b = new LineBatcher(fd, { batchLength, flushMs: 60_000 });
    for (const l of lines) b.write(l);
    b.end();
    await closed;
    assert.equal(Number(counted.trim()), bytes);
  });
}

test('a reader that never reads: the batch is dropped after maxBlockMs, the writer goes on', { timeout: 30_000 }, async (t) => {
  const { fd } = await fifoTo(t, 'exec 3<>"$0"; exec sleep 30');
  const b = new LineBatcher(fd, { batchLength: 4096, flushMs: 60_000, maxBlockMs: 50 });
  t.after(() => b.end());
  const started = performance.now();
  for (let i = 0; i < 3000; i++) assert.equal(b.write(line(i)), true);
  const ms = performance.now() - started;
  // ~3000 lines make ~60 batches; once the pipe is full each waits 50 ms and is dropped.
  assert.ok(ms >= 50 && ms < 30_000, `took ${Math.round(ms)} ms`);
});

test('a reader that has gone (EPIPE): reported once, lines dropped, no exception', async (t) => {
  // The child closes its end of the pipe and lives on: the parent's end stays open, with no reader.
  const child = spawn('sh', ['-c', 'exec 0<&-; echo closed; exec sleep 5'], { stdio: ['pipe', 'pipe', 'ignore'] });
  t.after(() => child.kill());
  child.stdin!.on('error', () => undefined);
  const fd = stdinFd(child);
  await once(child.stdout!, 'data');
  const fatal: string[] = [];
  const b = new LineBatcher(fd, { batchLength: 10, flushMs: 60_000, onFatal: (err) => fatal.push(err.code ?? '?') });
  t.after(() => b.end());
  assert.doesNotThrow(() => {
    for (let i = 0; i < 20; i++) b.write(line(i));
  });
  assert.deepEqual(fatal, ['EPIPE']);
  assert.equal(b.write(line(99)), false, 'the log has stopped');
});
