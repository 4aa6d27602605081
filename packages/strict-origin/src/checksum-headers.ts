/**
 * The `x-amz-checksum-*` value headers of PutObject and UploadPart: S3 computes the named
 * checksum over the object bytes and refuses the upload (400 BadDigest) when it differs, storing
 * nothing. https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 * Without this the origin would take a proxy that forwards a checksum its bytes do not have.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
// The SDK's CRCs, not node:zlib's crc32 the proxy checks trailers with: a second implementation.
import { Crc32, Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import { S3Error } from './s3-errors.js';

interface Running {
  update(data: Buffer): void;
  digest(): Promise<Uint8Array>;
}

interface Algorithm {
  /** As S3 names it in its messages. */
  readonly name: string;
  /** Digest length in bytes. */
  readonly bytes: number;
  readonly start: () => Running;
}

const hash = (algorithm: 'sha1' | 'sha256') => (): Running => {
  const h = createHash(algorithm);
  return { update: (d) => void h.update(d), digest: async () => h.digest() };
};

const ALGORITHMS: ReadonlyMap<string, Algorithm> = new Map([
  ['x-amz-checksum-crc32', { name: 'CRC32', bytes: 4, start: () => new Crc32() }],
  ['x-amz-checksum-crc32c', { name: 'CRC32C', bytes: 4, start: () => new Crc32c() }],
  ['x-amz-checksum-crc64nvme', { name: 'CRC64NVME', bytes: 8, start: () => new Crc64Nvme() }],
  ['x-amz-checksum-sha1', { name: 'SHA1', bytes: 20, start: hash('sha1') }],
  ['x-amz-checksum-sha256', { name: 'SHA256', bytes: 32, start: hash('sha256') }],
]);

export interface ClaimedChecksum {
  readonly header: string;
  readonly value: string;
  readonly algorithm: Algorithm;
}

/** The one checksum a request claims, if any; a second one or a value that is not one is InvalidRequest. */
export function claimedChecksum(header: (name: string) => string | undefined): ClaimedChecksum | undefined {
  const claimed = [...ALGORITHMS].flatMap(([name, algorithm]) => {
    const value = header(name);
    return value === undefined ? [] : [{ header: name, value: value.trim(), algorithm }];
  });
  if (claimed.length > 1) throw new S3Error(400, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const one = claimed[0];
  if (!one) return undefined;
  const bytes = Buffer.from(one.value, 'base64');
  if (bytes.length !== one.algorithm.bytes || bytes.toString('base64') !== one.value) {
    throw new S3Error(400, 'InvalidRequest', `Value for ${one.header} header is invalid.`);
  }
  return one;
}

/** The base64 checksum of a received file. */
export async function fileChecksum(file: string, algorithm: Algorithm): Promise<string> {
  const running = algorithm.start();
  for await (const chunk of createReadStream(file)) running.update(chunk as Buffer);
  return Buffer.from(await running.digest()).toString('base64');
}

export function checksumMismatch(claimed: ClaimedChecksum): S3Error {
  return new S3Error(400, 'BadDigest', `The ${claimed.algorithm.name} you specified did not match the calculated checksum.`);
}
