// Shared pieces of the disk store's tests: a temporary folder removed after the test, a logger
// whose lines the test can read, a clock the test moves, and entries to put.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Entry, EntryMeta } from '../../src/cache/entry.js';
import { createLogger, type Logger } from '../../src/log/logger.js';

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'os-disk-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A real pino logger (redaction included) whose lines are kept, parsed. */
export function capturedLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { log, lines };
}

export function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export function entryOf(body: string | Buffer, meta: Partial<EntryMeta> = {}): Entry {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    body: bytes,
    meta: {
      status: 200,
      headers: { 'content-type': 'video/mp4', 'last-modified': 'Tue, 01 Oct 2024 10:00:00 GMT' },
      etag: '"abc"',
      objectSize: bytes.length,
      storedAt: 1_700_000_000_000,
      freshUntil: 1_700_000_060_000,
      ...meta,
    },
  };
}

/** Every file under cacache's content folder. */
export async function contentFiles(path: string): Promise<string[]> {
  const dir = join(path, 'content-v2');
  const names = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return names.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}
