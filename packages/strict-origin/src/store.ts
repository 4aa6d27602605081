/**
 * A file-backed object store.
 *
 * Object bytes live in files under `<dataDir>/objects/` named by a random id
 * (never by the key: keys may hold `//`, `..`, any unicode, 1024 bytes); the
 * metadata (content-type, x-amz-meta-*, ETag, size, Last-Modified) lives in
 * memory. Uploads are written to `<dataDir>/tmp/` and renamed into place only
 * once complete and verified (rename(2) is atomic within one file system), so
 * an aborted or refused upload never replaces an object.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface StoredHeaders {
  'cache-control'?: string;
  'content-disposition'?: string;
  'content-encoding'?: string;
  'content-language'?: string;
  expires?: string;
}

export interface ObjectInfo {
  contentType: string;
  /** x-amz-meta-* headers, names lower-cased with the prefix kept. */
  metadata: Record<string, string>;
  headers: StoredHeaders;
}

export interface ObjectMeta extends ObjectInfo {
  key: string;
  size: number;
  /** With quotes, as S3 sends it: `"<md5 hex>"` or `"<hex>-<parts>"`. */
  etag: string;
  /** ms since epoch, whole seconds (Last-Modified has one-second resolution). */
  lastModified: number;
  file: string;
}

export interface PartMeta {
  partNumber: number;
  size: number;
  /** Binary MD5 of the part (for the multipart ETag). */
  md5: Buffer;
  etag: string;
  lastModified: number;
  file: string;
}

export interface Upload {
  uploadId: string;
  bucket: string;
  key: string;
  info: ObjectInfo;
  initiated: number;
  parts: Map<number, PartMeta>;
}

/** S3 lists keys in UTF-8 binary order (ListObjectsV2: "returned in UTF-8 binary order"). */
export const compareUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const newId = (): string => randomBytes(12).toString('hex');

export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, ObjectMeta>>();
  private readonly uploads = new Map<string, Upload>();

  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await Promise.all(['objects', 'tmp', 'parts'].map((d) => mkdir(join(this.dir, d), { recursive: true })));
  }

  createBucket(name: string): void {
    if (!this.buckets.has(name)) this.buckets.set(name, new Map());
  }
  hasBucket(name: string): boolean {
    return this.buckets.has(name);
  }

  get(bucket: string, key: string): ObjectMeta | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** All objects of a bucket in UTF-8 binary key order. */
  list(bucket: string): ObjectMeta[] {
    return [...(this.buckets.get(bucket)?.values() ?? [])].sort((a, b) => compareUtf8(a.key, b.key));
  }

  /** A fresh path for an upload in progress. */
  tempPath(): string {
    return join(this.dir, 'tmp', newId());
  }

  async discard(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  /** Moves a complete, verified temp file into place as bucket/key. */
  async commit(
    bucket: string,
    key: string,
    tempFile: string,
    meta: ObjectInfo & { size: number; etag: string; lastModified: number },
  ): Promise<ObjectMeta> {
    const objects = this.buckets.get(bucket);
    if (!objects) throw new Error(`no bucket ${bucket}`);
    const file = join(this.dir, 'objects', newId());
    await rename(tempFile, file);
    const stored: ObjectMeta = { ...meta, key, file, lastModified: Math.floor(meta.lastModified / 1000) * 1000 };
    const old = objects.get(key);
    objects.set(key, stored);
    // A reader that already opened the old file keeps its descriptor (POSIX unlink semantics).
    if (old) await unlink(old.file).catch(() => undefined);
    return stored;
  }

  async delete(bucket: string, key: string): Promise<void> {
    const objects = this.buckets.get(bucket);
    const old = objects?.get(key);
    if (!objects || !old) return;
    objects.delete(key);
    await unlink(old.file).catch(() => undefined);
  }

  async read(bucket: string, key: string): Promise<Buffer | undefined> {
    const meta = this.get(bucket, key);
    return meta ? readFile(meta.file) : undefined;
  }

  // ---- multipart ----

  createUpload(bucket: string, key: string, info: ObjectInfo, now: number): Upload {
    const uploadId = randomBytes(24).toString('base64url');
    const upload: Upload = { uploadId, bucket, key, info, initiated: now, parts: new Map() };
    this.uploads.set(uploadId, upload);
    return upload;
  }

  getUpload(uploadId: string): Upload | undefined {
    return this.uploads.get(uploadId);
  }

  async putPart(upload: Upload, part: Omit<PartMeta, 'file'>, tempFile: string): Promise<PartMeta> {
    const file = join(this.dir, 'parts', newId());
    await rename(tempFile, file);
    const stored: PartMeta = { ...part, file };
    const old = upload.parts.get(part.partNumber);
    upload.parts.set(part.partNumber, stored);
    if (old) await unlink(old.file).catch(() => undefined);
    // The upload may have been aborted or completed while this part streamed in.
    if (!this.uploads.has(upload.uploadId)) await unlink(file).catch(() => undefined);
    return stored;
  }

  async abortUpload(upload: Upload): Promise<void> {
    this.uploads.delete(upload.uploadId);
    await Promise.all([...upload.parts.values()].map((p) => unlink(p.file).catch(() => undefined)));
  }

  /** Concatenates the chosen parts (streamed, never whole in memory) into a temp file. */
  async assemble(parts: readonly PartMeta[]): Promise<string> {
    const temp = this.tempPath();
    const out = createWriteStream(temp);
    try {
      for (const p of parts) await pipeline(createReadStream(p.file), out, { end: false });
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (err) {
      out.destroy();
      await rm(temp, { force: true });
      throw err;
    }
    return temp;
  }

  /** Forgets an upload after completion and removes its part files. */
  async finishUpload(upload: Upload): Promise<void> {
    await this.abortUpload(upload);
  }
}
