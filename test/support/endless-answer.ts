// An HTTP endpoint for the "answer that never ends" tests (IMDS, STS, CreateSession): each answer
// is counted as it is written — bytes sent, answers still open — so a test can tell an answer cut
// by its reader from one read whole. flood() and drip() are the two endless shapes.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

/** Where a flood stops, so the code before a fix (which read it all) fails rather than swaps. */
export const FLOOD_BYTES = 32 * 1024 * 1024;

export interface EndlessEndpoint {
  readonly url: string;
  readonly port: number;
  /** Bytes written into answers so far. */
  sent(): number;
  /** Answers not yet closed. */
  open(): number;
}

/** A server on a free port answering each request with `answer`; closed after the test. */
export async function endlessEndpoint(t: TestContext, answer: (req: IncomingMessage, res: ServerResponse, sent: () => number) => void): Promise<EndlessEndpoint> {
  let sent = 0;
  let open = 0;
  const server = createServer((req, res) => {
    const write = res.write.bind(res);
    res.write = ((chunk: Buffer | string, ...rest: never[]) => {
      sent += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    open++;
    res.on('close', () => open--);
    answer(req, res, () => sent);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, sent: () => sent, open: () => open };
}

/** Writes `byte` in 64 KiB chunks as fast as the reader takes them, up to FLOOD_BYTES in all. */
export function flood(res: ServerResponse, sent: () => number, byte: string): void {
  const chunk = Buffer.alloc(64 * 1024, byte);
  const pump = (): void => {
    while (!res.destroyed && sent() < FLOOD_BYTES) if (!res.write(chunk)) return void res.once('drain', pump);
    if (!res.destroyed) res.end();
  };
  pump();
}

/** Writes `text` every 50 ms until the reader closes: never idle long enough for an idle timeout. */
export function drip(res: ServerResponse, text: string): void {
  const timer = setInterval(() => res.write(text), 50);
  res.on('close', () => clearInterval(timer));
}

/** Whether every answer has been closed by its reader within `ms` (polled: closing takes a turn or two). */
export async function allClosed(ep: EndlessEndpoint, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (ep.open() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return ep.open() === 0;
}
