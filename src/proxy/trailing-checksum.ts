import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { OriginSignerError } from '../errors.js';

/** What a trailing checksum is computed with: bytes in, the base64 of the digest out (S3's `x-amz-checksum-*` form). */
export interface RunningChecksum {
  update(data: Buffer): void;
  digest(): Promise<string>;
}

/** The `x-amz-checksum-*` trailers S3 takes (S3 User Guide, "Checking object integrity"). */
export const TRAILING_CHECKSUMS: ReadonlySet<string> = new Set([
  'x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-sha1', 'x-amz-checksum-sha256',
]);

const base64Of = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

function nodeHash(algorithm: 'sha1' | 'sha256'): RunningChecksum {
  const h = createHash(algorithm);
  return { update: (d) => void h.update(d), digest: async () => h.digest('base64') };
}

function zlibCrc32(): RunningChecksum {
  let value = 0;
  return {
    update: (d) => void (value = crc32(d, value)),
    digest: async () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out.toString('base64');
    },
  };
}

/** CRC32C and CRC64NVME have no Node built-in: AWS's own implementations, loaded only when an upload names one. */
async function sdkCrc(which: 'Crc32c' | 'Crc64Nvme'): Promise<RunningChecksum> {
  const crc = await import('@aws-sdk/checksums/crc').catch((err: Error) => {
    throw new OriginSignerError('OS_ERR_INTERNAL', `cannot load @aws-sdk/checksums for ${which}: ${err.message}`);
  });
  const c = new crc[which]();
  return { update: (d) => c.update(d), digest: async () => base64Of(await c.digest()) };
}

/** A fresh running checksum for the trailer `name` (one of TRAILING_CHECKSUMS). */
export function runningChecksum(name: string): Promise<RunningChecksum> {
  switch (name) {
    case 'x-amz-checksum-crc32': return Promise.resolve(zlibCrc32());
    case 'x-amz-checksum-sha1': return Promise.resolve(nodeHash('sha1'));
    case 'x-amz-checksum-sha256': return Promise.resolve(nodeHash('sha256'));
    case 'x-amz-checksum-crc32c': return sdkCrc('Crc32c');
    case 'x-amz-checksum-crc64nvme': return sdkCrc('Crc64Nvme');
    default: return Promise.reject(new Error(`no checksum named ${name}`));
  }
}
