// Helpers for the operations tests: a download that stops reading after a given number of bytes
// until told to go on (then reads slowly), a connection probe, and a child process's exit. Never
// held, the download is also the streamed GET of the RGW large-object tests.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { KiB, MiB } from './sizes.js';
import { waitFor } from './wait-for.js';

export interface Download {
  status: number;
  headers: IncomingMessage['headers'];
  bytes: number;
  sha256: string;
  /** The first KiB of the body, as text (error documents). */
  text: string;
}

export interface HeldDownload {
  /** Resolves once `holdAfter` bytes have arrived and reading has stopped. */
  readonly held: Promise<void>;
  /** Go on reading (slowly: a 20 ms break every 8 MiB). */
  resume(): void;
  readonly done: Promise<Download>;
  received(): number;
  finished(): boolean;
}

/** A GET hashed as it streams in (never held in memory); with `holdAfter: Infinity` it reads at full speed throughout. */
export function heldDownload(port: number, path: string, holdAfter: number, headers: Record<string, string> = {}): HeldDownload {
  let received = 0;
  let finished = false;
  let onHeld!: () => void;
  const held = new Promise<void>((r) => (onHeld = r));
  let go!: () => void;
  const resumed = new Promise<void>((r) => (go = r));
  const done = new Promise<Download>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const hash = createHash('sha256');
      let holding = false;
      let piece = 0;
      let head = Buffer.alloc(0);
      res.on('data', (c: Buffer) => {
        hash.update(c);
        received += c.length;
        if (head.length < KiB) head = Buffer.concat([head, c.subarray(0, KiB)]);
        piece += c.length;
        if (!holding && received >= holdAfter) {
          holding = true;
          res.pause();
          onHeld();
          void resumed.then(() => res.resume());
        } else if (holding && piece >= 8 * MiB) {
          piece = 0;
          res.pause();
          setTimeout(() => res.resume(), 20);
        }
      });
      res.on('end', () => {
        finished = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: received, sha256: hash.digest('hex'), text: head.toString('utf8') });
      });
      res.on('error', reject);
      res.on('aborted', () => reject(new Error(`download aborted after ${received} bytes`)));
    });
    req.on('error', reject);
    req.end();
  });
  // A failed download must not be an unhandled rejection before the test awaits it.
  done.catch(() => {});
  return { held, resume: () => go(), done, received: () => received, finished: () => finished };
}

/** Tries a TCP connection: 'connected' (then closed again) or the error code. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Polls until a TCP connection to `port` is refused; returns how many attempts connected first. */
export async function untilRefused(port: number, timeoutMs = 10_000): Promise<number> {
  let connected = 0;
  await waitFor(
    async () => {
      const r = await tryConnect(port);
      if (r !== 'ECONNREFUSED' && r !== 'connected') throw new Error(`connecting to ${port}: ${r}`);
      if (r === 'connected') connected++;
      return r === 'ECONNREFUSED';
    },
    `port ${port} to refuse connections`,
    timeoutMs,
    50,
  );
  return connected;
}

/** The exit of a child process (set up before it can have happened). */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** True while the process exists (signal 0). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
