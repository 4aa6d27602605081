import { connect } from 'node:net';

/**
 * Writes `parts` on one fresh connection — strings and buffers as they are, a number as a pause of
 * that many milliseconds — and resolves with all the proxy sent back (latin1) once the connection
 * closes, or after `timeoutMs`. For framings and pipelines node:http will not write.
 */
export function rawExchange(port: number, parts: string | ReadonlyArray<string | Buffer | number>, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect(port, '127.0.0.1');
    const done = (): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, timeoutMs);
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', done);
    s.on('error', done);
    s.on('connect', async () => {
      for (const p of typeof parts === 'string' ? [parts] : parts) {
        if (typeof p === 'number') await new Promise((r) => setTimeout(r, p));
        else if (!s.destroyed) s.write(p);
      }
    });
  });
}

/** The status codes of every response in a raw exchange, in order. */
export const statusesOf = (text: string): string[] => text.match(/HTTP\/1\.1 \d{3}/g) ?? [];
