/**
 * One request/response exchange: response helpers with S3's standard headers,
 * the request log entry, and body intake with the payload checks that depend
 * on how the request was signed.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticated } from './authenticate.js';
import { receiveToFile, type Received, type ReceiveOptions } from './body.js';
import { checksumMismatch, claimedChecksum, fileChecksum } from './checksum-headers.js';
import { httpDate } from './dates.js';
import { header, type HeaderList } from './headers.js';
import { MIN_PART_SIZE } from './multipart.js';
import { classifyContentSha256 } from './payload-hash.js';
import type { QueryParam } from './query.js';
import { S3Error, errorXml, invalidArgument, missingContentLength } from './s3-errors.js';
import { EMPTY_SHA256 as EMPTY } from './sha256.js';
import { publicKeyFor } from './sigv4a-key.js';
import type { ObjectStore } from './store.js';
import type { RecordedRequest } from './types.js';

/** S3's limit for a single PUT (5 GiB). */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

export class Exchange {
  readonly requestId = randomBytes(8).toString('hex').toUpperCase();
  readonly hostId = randomBytes(24).toString('base64');
  /** A body already read before authentication (generic SigV4 signing the body hash). */
  preReceived: Received | undefined;
  auth: Authenticated | undefined;
  params: readonly QueryParam[] = [];
  /** Minimum size of every multipart part but the last. */
  minPartSize = MIN_PART_SIZE;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly headers: HeaderList,
    readonly record: RecordedRequest,
    readonly expectContinue: boolean,
    readonly store: ObjectStore,
    readonly now: () => number,
  ) {}

  get method(): string {
    return this.req.method ?? 'GET';
  }

  header(name: string): string | undefined {
    return header(this.headers, name);
  }

  private baseHeaders(): Record<string, string> {
    return {
      'x-amz-request-id': this.requestId,
      'x-amz-id-2': this.hostId,
      date: httpDate(this.now()),
      server: 'AmazonS3',
    };
  }

  /** Sends status + headers (+ optional small body). HEAD never gets a body. */
  send(status: number, headers: Record<string, string | number>, body?: string | Buffer): void {
    const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const all: Record<string, string | number> = { ...this.baseHeaders(), ...headers };
    if (buf !== undefined && !('content-length' in all)) all['content-length'] = buf.length;
    if (buf === undefined && !('content-length' in all) && status !== 304 && status !== 204) all['content-length'] = 0;
    this.record.status = status;
    this.res.writeHead(status, all);
    this.res.end(this.method === 'HEAD' ? undefined : buf);
  }

  sendXml(status: number, xml: string, headers: Record<string, string | number> = {}): void {
    this.send(status, { 'content-type': 'application/xml', ...headers }, xml);
  }

  sendError(err: S3Error): void {
    this.record.status = err.status;
    this.record.errorCode = err.code;
    if (this.res.headersSent) {
      this.res.destroy();
      return;
    }
    this.sendXml(err.status, errorXml(err, this.requestId, this.hostId), err.headers);
  }

  /** How the payload must be checked, from the verified signature. */
  private payloadRule():
    | { kind: 'none' }
    | { kind: 'sha256'; hex: string }
    | { kind: 'streaming' | 'streaming-ecdsa' } {
    const a = this.auth;
    if (!a || a.kind === 'v2') return { kind: 'none' };
    const ph = a.v.payloadHash;
    if (this.preReceived) return { kind: 'none' }; // its hash was signed directly
    const c = classifyContentSha256(ph);
    if (c === 'hex') return { kind: 'sha256', hex: ph.toLowerCase() };
    if (c === 'streaming' || c === 'streaming-ecdsa') return { kind: c };
    return { kind: 'none' };
  }

  /** What the chunk chain is checked with: the SigV4 signing key, or the SigV4A public key. */
  private chunkContext(): NonNullable<ReceiveOptions['chunked']>['ctx'] {
    const a = this.auth;
    if (a?.kind === 'v4') return { signingKey: a.v.signingKey, amzDate: a.v.amzDate, scope: a.v.scope, seedSignature: a.v.signature };
    if (a?.kind === 'v4a') return { publicKey: publicKeyFor(a.v.credential), amzDate: a.v.amzDate, scope: a.v.scope, seedSignature: a.v.signature };
    throw new Error('unreachable: a streaming payload was verified with neither SigV4 nor SigV4A');
  }

  private hasBody(): boolean {
    const te = this.header('transfer-encoding');
    const cl = this.header('content-length');
    return te !== undefined || (cl !== undefined && cl !== '0');
  }

  /**
   * Reads the request body into a temp file, verifying x-amz-content-sha256,
   * aws-chunked chunk signatures and Content-MD5. Throws S3Error; on error the
   * temp file is gone.
   */
  /** `checksums`: the body is an object's (PutObject, UploadPart), so an x-amz-checksum-* header is checked against it. */
  async receiveBody(opts: { requireLength: boolean; checksums?: boolean }): Promise<Received> {
    const checksum = opts.checksums ? claimedChecksum((name) => this.header(name)) : undefined;
    const md5Header = this.header('content-md5');
    let md5Expected: Buffer | undefined;
    if (md5Header !== undefined) {
      md5Expected = Buffer.from(md5Header.trim(), 'base64');
      if (md5Expected.length !== 16 || md5Expected.toString('base64') !== md5Header.trim()) {
        throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', [['Content-MD5', md5Header]]);
      }
    }
    let received = this.preReceived;
    const rule = this.payloadRule();
    if (!received) {
      const te = this.header('transfer-encoding');
      const cl = this.header('content-length');
      const decodedLen = this.header('x-amz-decoded-content-length');
      // S3 refuses a chunked transfer without x-amz-decoded-content-length (411).
      if (te !== undefined && decodedLen === undefined) throw missingContentLength();
      if (opts.requireLength && te === undefined && cl === undefined) throw missingContentLength();
      // The object size is x-amz-decoded-content-length for aws-chunked, Content-Length otherwise.
      const streaming = rule.kind === 'streaming' || rule.kind === 'streaming-ecdsa';
      const proposed = streaming ? decodedLen : cl;
      if (proposed !== undefined && Number(proposed) > MAX_PUT_SIZE) {
        throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', [
          ['ProposedSize', proposed],
          ['MaxSizeAllowed', String(MAX_PUT_SIZE)],
        ]);
      }
      let chunked: ReceiveOptions['chunked'];
      if (streaming) {
        if (decodedLen === undefined) throw missingContentLength();
        if (!/^\d{1,15}$/.test(decodedLen)) throw invalidArgument('x-amz-decoded-content-length is not a number', 'x-amz-decoded-content-length', decodedLen);
        chunked = { ctx: this.chunkContext(), decodedLength: Number(decodedLen) };
      }
      if (this.expectContinue) this.res.writeContinue();
      received = await receiveToFile(this.req, this.store.tempPath(), {
        chunked,
        onBytes: (n) => {
          this.record.bytesIn += n;
        },
      });
    }
    if (rule.kind === 'sha256' && received.sha256Hex !== rule.hex) {
      await this.store.discard(received.file);
      throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", [
        ['ClientComputedContentSHA256', rule.hex],
        ['S3ComputedContentSHA256', received.sha256Hex],
      ]);
    }
    if (md5Expected && !md5Expected.equals(received.md5)) {
      await this.store.discard(received.file);
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', [
        ['ExpectedDigest', md5Expected.toString('hex')],
        ['CalculatedDigest', received.md5.toString('hex')],
      ]);
    }
    if (checksum && (await fileChecksum(received.file, checksum.algorithm)) !== checksum.value) {
      await this.store.discard(received.file);
      throw checksumMismatch(checksum);
    }
    return received;
  }

  /** For operations without a body: consume whatever was sent and still check its hash. */
  async drainBody(): Promise<void> {
    if (this.preReceived) {
      await this.store.discard(this.preReceived.file);
      return;
    }
    const rule = this.payloadRule();
    if (!this.hasBody()) {
      if (rule.kind === 'sha256' && rule.hex !== EMPTY) {
        throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", [
          ['ClientComputedContentSHA256', rule.hex],
          ['S3ComputedContentSHA256', EMPTY],
        ]);
      }
      return;
    }
    const r = await this.receiveBody({ requireLength: false });
    await this.store.discard(r.file);
  }
}
