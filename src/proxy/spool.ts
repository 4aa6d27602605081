import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class SpoolLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the upload is larger than ${limit} bytes`);
  }
}

export interface Spooled {
  readonly size: number;
  /** Hex SHA-256 of the body, when asked for. */
  readonly sha256?: string;
  /** Reads the spooled body from the start; the file goes away when this stream closes. */
  readonly body: Readable;
}

/**
 * Writes an upload to a temporary file — never to memory — counting (and hashing) as it goes, and
 * refusing more than `limit` bytes. The file is unlinked as soon as it is open, so nothing is left
 * on disk whatever happens to the process; the open descriptor keeps the data until read.
 */
export async function spool(req: IncomingMessage, opts: { dir: string; limit: number; hash: boolean }): Promise<Spooled> {
  const path = join(opts.dir, `origin-signer-${randomUUID()}.spool`);
  const handle = await open(path, 'wx+', 0o600);
  await unlink(path);
  let size = 0;
  const hash = opts.hash ? createHash('sha256') : undefined;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > opts.limit) return done(new SpoolLimitError(opts.limit));
      hash?.update(chunk);
      done(null, chunk);
    },
  });
  // The request is piped, not pipelined: on the limit error it must stay open (unpiped) so the
  // refusal can still be read by the viewer (see discardBody), where pipeline() would destroy it.
  const onAbort = (): void => void count.destroy(new Error('the viewer closed the connection during the upload'));
  req.once('aborted', onAbort);
  req.once('error', onAbort);
  req.pipe(count);
  try {
    await pipeline(count, createWriteStream('', { fd: handle, autoClose: false }));
  } catch (err) {
    req.unpipe(count);
    await handle.close();
    throw err;
  } finally {
    req.off('aborted', onAbort);
    req.off('error', onAbort);
  }
  return {
    size,
    ...(hash ? { sha256: hash.digest('hex') } : {}),
    body: createReadStream('', { fd: handle, start: 0, autoClose: true }),
  };
}
