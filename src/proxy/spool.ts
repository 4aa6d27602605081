import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class SpoolLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the upload is larger than ${limit} bytes`);
  }
}

/**
 * The proxy's own disk failed while spooling (ENOSPC, spool.dir gone, EIO…): not the viewer's
 * doing, so not their 400 but the server's 507 (RFC 4918 §11.5), logged for the operator.
 */
export class SpoolDiskError extends Error {
  readonly code: string;
  constructor(cause: unknown) {
    super(`the spool disk failed: ${(cause as Error).message}`, { cause });
    this.code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

const diskFailed = (err: unknown): never => {
  throw new SpoolDiskError(err);
};

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
/**
 * Appends to `handle` through its own write(). Not fs.createWriteStream({ fd: handle, autoClose:
 * false }): such a stream keeps a reference on the FileHandle that it never drops, so the read
 * stream's close waited for ever and the descriptor was only closed by the garbage collector
 * (DEP0137, "Closing file descriptor N on garbage collection").
 */
function writeTo(handle: FileHandle): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      handle.write(chunk).then(() => done(), (err: unknown) => done(new SpoolDiskError(err)));
    },
  });
}

/** `source`: what is spooled, the request itself or its body with a framing taken off (its errors end the spooling). */
export async function spool(req: IncomingMessage, opts: { dir: string; limit: number; hash: boolean }, source: Readable = req): Promise<Spooled> {
  // Listen from the start: the viewer can leave while the file is being opened, and 'aborted'
  // comes only once — a listener attached after the awaits would never hear it and the pipeline
  // below would wait forever on a request that never ends, its file handle open.
  let gone: Error | undefined;
  let count: Transform | undefined;
  const onAbort = (): void => {
    gone ??= new Error('the viewer closed the connection during the upload');
    count?.destroy(gone);
  };
  req.once('aborted', onAbort);
  req.once('error', onAbort);
  const onSourceError = (err: Error): void => {
    gone ??= err;
    count?.destroy(err);
  };
  if (source !== req) source.once('error', onSourceError);
  if (req.destroyed) onAbort();
  const path = join(opts.dir, `origin-signer-${randomUUID()}.spool`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'wx+', 0o600).catch(diskFailed);
    await unlink(path).catch(diskFailed);
    if (gone) throw gone;
    let size = 0;
    const hash = opts.hash ? createHash('sha256') : undefined;
    count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > opts.limit) return done(new SpoolLimitError(opts.limit));
        hash?.update(chunk);
        done(null, chunk);
      },
    });
    // The request is piped, not pipelined: on the limit error it must stay open (unpiped) so the
    // refusal can still be read by the viewer (forward.ts drainThenEnd), where pipeline() would destroy it.
    source.pipe(count);
    try {
      await pipeline(count, writeTo(handle));
    } finally {
      source.unpipe(count);
    }
    // Bounded by `end` (inclusive), the stream ends with its last byte: without it, the end is one
    // more disk read away, and a store that answers once it has every byte could answer first, so
    // the proxy took the upload for cut and answered 502 (viewer-response.ts).
    const body = createReadStream('', { fd: handle, start: 0, ...(size > 0 ? { end: size - 1 } : {}), autoClose: true });
    handle = undefined; // the stream owns it now
    return { size, ...(hash ? { sha256: hash.digest('hex') } : {}), body };
  } finally {
    req.off('aborted', onAbort);
    req.off('error', onAbort);
    source.off('error', onSourceError);
    // Every path that did not hand the file to the stream: limit, viewer gone, disk error, unlink failed.
    await handle?.close();
  }
}
