// Helpers for the suites that put the CLI proxy in front of a real Ceph RGW (test/rgw/proxy-*).
//
// Addressing: these blocks are path-style only. RGW serves virtual-hosted requests only for host
// names it knows (`rgw dns name` or the zonegroup's hostnames), and scripts/rgw/start.sh sets
// neither: a request with `Host: bucket.localhost:PORT` is read as path-style, so the first path
// segment is taken for the bucket (RGW answers 404 NoSuchBucket). `rgw_dns_name` cannot be changed
// on a running radosgw (Ceph 16: "config set" → EPERM), so enabling virtual-hosted style would
// need a change to start.sh.
import type { Readable } from 'node:stream';
import aws4, { type Request as Aws4Request } from 'aws4';
import { streamUpload, type UploadResult } from './writes-helpers.js';
import type { Rgw } from './rgw.js';

export type SigningVersion = 'v4' | 'v2';
export type SigningMode = 'header' | 'query';

/** A path-style proxy block pointing at an RGW bucket. */
export function rgwBlock(
  rgw: Rgw,
  opts: {
    path: string;
    bucket: string;
    version: SigningVersion;
    mode: SigningMode;
    credentials?: { accessKeyId: string; secretAccessKey: string };
    methods?: string[];
  },
): Record<string, unknown> {
  return {
    path: opts.path,
    upstream: {
      type: 's3',
      bucket: opts.bucket,
      // A region means SigV4 (README "Signing modes"); SigV2 blocks leave it out.
      ...(opts.version === 'v4' ? { region: rgw.region } : {}),
      endpoint: rgw.endpoint,
      addressing: 'path',
    },
    credentials: opts.credentials ?? { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey },
    signing: { version: opts.version, mode: opts.mode },
    methods: opts.methods ?? ['GET', 'HEAD'],
  };
}

/** The four signing modes with a block prefix each. */
export const RGW_MODES = [
  { prefix: '/v4-header/', version: 'v4', mode: 'header' },
  { prefix: '/v4-query/', version: 'v4', mode: 'query' },
  { prefix: '/v2-header/', version: 'v2', mode: 'header' },
  { prefix: '/v2-query/', version: 'v2', mode: 'query' },
] as const satisfies ReadonlyArray<{ prefix: string; version: SigningVersion; mode: SigningMode }>;

/** The S3 error code (<Code>...</Code>) of an XML error body. */
export function s3ErrorCode(body: Buffer | string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body.toString())?.[1];
}

/**
 * A SigV4-signed (by aws4, not our signer) path-style PUT straight to RGW with a streamed body
 * (`x-amz-content-sha256: UNSIGNED-PAYLOAD`, fixed Content-Length), for objects too large to hold in memory.
 */
export function streamedPut(rgw: Rgw, path: string, body: Readable, contentLength: number): Promise<UploadResult> {
  const signable: Aws4Request = {
    host: `${rgw.host}:${rgw.port}`,
    method: 'PUT',
    path,
    service: 's3',
    region: rgw.region,
    headers: {
      'content-length': String(contentLength),
      'content-type': 'application/octet-stream',
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    },
  };
  aws4.sign(signable, { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signable.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  return streamUpload(rgw.port, { host: rgw.host, method: 'PUT', path, headers, body });
}
