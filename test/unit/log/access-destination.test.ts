// log/logger.ts accessLogDestination: pino's asynchronous destination as the access log uses it,
// against real FIFOs and child processes (standard output in a container is a pipe). Lines are
// batched but written within the flush interval, a sole writer batches more than writers sharing
// a pipe, those never split each other's lines, and a reader that stops reading never stalls the
// writer's event loop.
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { AccessLog } from '../../../src/log/access-line.js';
import { accessLogDestination, lineStream, PIPE_BUF } from '../../../src/log/logger.js';
import { waitFor } from '../../support/wait-for.js';

const LOGGER = new URL('../../../src/log/logger.js', import.meta.url).href;
const ACCESS = new URL('../../../src/log/access-line.js', import.meta.url).href;

const ENTRY = { block: '/b/', method: 'GET', query: undefined, remoteAddr: undefined, userAgent: undefined, referer: undefined, headers: undefined, status: 200, bytesIn: undefined, bytesOut: 1, upstreamStatus: 200, upstreamRequestId: undefined, upstreamId2: undefined, upstreamMs: 1, ms: 1, credentials: undefined, error: undefined, detail: undefined, denied: undefined, aborted: undefined };

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'os-access-dest-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A child that writes `lines` access lines (paths of 200–500 bytes, so a batch never ends on a
 * line boundary by chance) through accessLogDestination on its standard output, `fd`, as a cluster
 * worker does (sharing it), yielding to its event loop every 500 lines; it reports on standard
 * error the longest gap between two turns.
 */
function writer(t: TestContext, fd: number, tag: string, lines: number): ChildProcess {
  const code = `
    const { accessLogDestination, lineStream } = await import(${JSON.stringify(LOGGER)});
    const { AccessLog } = await import(${JSON.stringify(ACCESS)});
    const log = new AccessLog('info', lineStream(accessLogDestination(1, true)));
    let last = performance.now(), maxGapMs = 0;
    for (let i = 0; i < ${lines}; i++) {
      log.write({ reqId: '${tag}-' + i, block: '/b/', method: 'GET', path: '/b/' + 'x'.repeat(200 + (i * 37) % 300), status: 200, bytesOut: i, ms: 1 });
      if (i % 500 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        const now = performance.now();
        maxGapMs = Math.max(maxGapMs, now - last);
        last = now;
      }
    }
    process.stderr.write('RESULT ' + JSON.stringify({ maxGapMs }) + '\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', fd, 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Everything the child writes on standard error, once it has written its RESULT line. */
function result(child: ChildProcess): Promise<{ stderr: string; maxGapMs: number }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      const m = /RESULT (\{.*\})\n/.exec(stderr);
      if (m) resolve({ stderr, maxGapMs: (JSON.parse(m[1]!) as { maxGapMs: number }).maxGapMs });
    });
    child.once('exit', (code, signal) => reject(new Error(`writer exited (${code ?? signal}) without a result: ${stderr}`)));
  });
}

test('a line is held for a batch, and written within the flush interval when no more come', async (t) => {
  const file = join(tempDir(t), 'out');
  // The destination closes the descriptor when it ends (it leaves only 1 and 2 open).
  const dest = accessLogDestination(openSync(file, 'w'));
  new AccessLog('info', lineStream(dest)).write({ ...ENTRY, reqId: 'one', path: '/b/a' });
  assert.equal(readFileSync(file, 'utf8'), '', 'not one write per line');
  await waitFor(() => readFileSync(file, 'utf8') !== '', 'the line written by the periodic flush', 5_000);
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { reqId: string }).reqId, 'one');
  const closed = once(dest, 'close');
  dest.end();
  await closed;
});

/** The size of every write the destination made for `lines` lines of about 300 bytes, written at once and flushed. */
async function writeSizes(t: TestContext, shared: boolean, lines: number): Promise<{ sizes: number[]; text: string }> {
  const file = join(tempDir(t), 'out');
  const dest = accessLogDestination(openSync(file, 'w'), shared);
  const sizes: number[] = [];
  dest.on('write', (n: number) => sizes.push(n));
  const log = new AccessLog('info', lineStream(dest));
  for (let i = 0; i < lines; i++) log.write({ ...ENTRY, reqId: `r${i}`, path: `/b/${'x'.repeat(200)}` });
  await new Promise<void>((resolve) => dest.flush(() => resolve()));
  const closed = once(dest, 'close');
  dest.end();
  await closed;
  return { sizes, text: readFileSync(file, 'utf8') };
}

test('a sole writer batches past PIPE_BUF; writers sharing the output keep every write within it', async (t) => {
  const sole = await writeSizes(t, false, 100);
  const shared = await writeSizes(t, true, 100);
  for (const { text } of [sole, shared]) {
    const lines = text.split('\n').filter(Boolean);
    assert.equal(lines.length, 100, 'every line');
    for (const l of lines) JSON.parse(l); // whole
  }
  assert.ok(Math.max(...sole.sizes) > PIPE_BUF, `sole writer's writes: ${sole.sizes.join(', ')}`);
  assert.ok(sole.sizes.length < shared.sizes.length, `fewer writes alone (${sole.sizes.length}) than shared (${shared.sizes.length})`);
  assert.ok(shared.sizes.every((n) => n <= PIPE_BUF), `shared writes: ${shared.sizes.join(', ')}`);
});

test('two processes writing to one pipe: every line arrives whole', { timeout: 60_000 }, async (t) => {
  const fifo = join(tempDir(t), 'fifo');
  execFileSync('mkfifo', [fifo]);
  // The read end opens (in the thread pool) once a writer has; the write end, blocking, is the children's standard output.
  const reading = open(fifo, 'r');
  const writeFd = openSync(fifo, 'w');
  const reader = await reading;
  const N = 20_000;
  const children = ['a', 'b'].map((tag) => writer(t, writeFd, tag, N));
  closeSync(writeFd);
  let text = '';
  // Read slowly, so the pipe is full and the writers wait on it, which is when writes larger than PIPE_BUF get split.
  for await (const chunk of reader.createReadStream({ encoding: 'utf8', highWaterMark: 1024 })) {
    text += chunk as string;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((resolve) => c.once('exit', resolve)) : undefined)));
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  const broken = lines.filter((l) => {
    try {
      JSON.parse(l);
      return false;
    } catch {
      return true;
    }
  });
  assert.deepEqual(broken.slice(0, 3), [], `${broken.length} lines split or interleaved`);
  const ids = new Set(lines.map((l) => (JSON.parse(l) as { reqId: string }).reqId));
  assert.equal(ids.size, 2 * N, 'every line of both writers, once');
});

test('a reader that stops reading: the event loop keeps turning, lines beyond the backlog are dropped with one message', { timeout: 60_000 }, async (t) => {
  const fifo = join(tempDir(t), 'fifo');
  execFileSync('mkfifo', [fifo]);
  const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK); // opened, never read
  t.after(() => closeSync(readFd));
  const writeFd = openSync(fifo, 'w');
  // ~40 MB of lines: far past the pipe's 64 KiB and the destination's 16 MiB backlog.
  const child = writer(t, writeFd, 'stuck', 120_000);
  closeSync(writeFd);
  const { stderr, maxGapMs } = await result(child);
  assert.ok(maxGapMs < 1_000, `the event loop stalled for ${Math.round(maxGapMs)} ms`);
  assert.equal(stderr.match(/access lines are being dropped/g)?.length, 1, stderr);
});
