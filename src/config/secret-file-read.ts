import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** A secret is a key or a token: far smaller than this; anything bigger is the wrong file. */
export const MAX_SECRET_FILE = 64 * 1024;

/**
 * A `{ file: … }` secret's text. Only a regular file of at most 64 KiB is read: a FIFO would block
 * start-up (and a reload, the whole event loop) until someone writes to it, and /dev/zero would
 * fill memory. Opened non-blocking so opening a FIFO cannot block either; the size is bounded
 * again while reading, in case the file grows between the stat and the read.
 */
export function readSecretFile(file: string): string {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_SECRET_FILE) throw new Error('larger than 64 KiB: not a secret');
    const buf = Buffer.alloc(MAX_SECRET_FILE + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_SECRET_FILE) throw new Error('larger than 64 KiB: not a secret');
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
