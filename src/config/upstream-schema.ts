import { z } from 'zod';
import { ACCESS_POINT_ARN } from './access-point.js';
import { base64Key, boolFrom, region } from './schema-units.js';

/**
 * Where a block's requests go (README `proxies[]`, "S3 flavours"): an S3 bucket (or an access
 * point) or a MediaStore container, its endpoint and region, the key prefix, and what the store is
 * asked for on every request (server-side encryption, requester pays).
 */

/** An S3 upstream's region: a name, or `*` (any region: a SigV4A region set). */
const s3Region = z.string().regex(/^(?:[a-z0-9-]+|\*)$/, 'region must look like eu-central-1');

const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'bucket must be a valid S3 bucket name (3-63 characters: a-z, 0-9, dot, hyphen)');

// abort: a value that is no URL stops at its problem; the origin-only check would throw on it.
const endpoint = z.url({ protocol: /^https?$/, error: 'endpoint must be an http:// or https:// URL', abort: true }).refine((u) => {
  const url = new URL(u);
  return (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '' && url.username === '';
}, 'endpoint must be an origin only (scheme, host, optional port): no path, query or credentials');

const keyPrefix = z
  .string()
  .refine((p) => !p.startsWith('/'), 'keyPrefix must not start with "/" (it is prepended to the key as is)')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), "keyPrefix must not contain '.' or '..' segments")
  // eslint-disable-next-line no-control-regex
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'keyPrefix must not contain control characters');

/**
 * Server-side encryption the block asks the store for (README "Signing modes", S3 flavours): a
 * customer key (SSE-C: its three headers on every object read and write, signed) or a KMS key for
 * the objects it writes (SSE-KMS).
 */
const sseSchema = z.union(
  [
    z.strictObject({
      /** The 256-bit key, base64 (or `{ file: … }`, credentials-style): a secret. */
      customerKey: base64Key('customerKey', 'an AES-256 key'),
    }),
    z.strictObject({ kms: z.string().min(1, 'kms names a KMS key id or ARN') }),
  ],
  { error: 'sse is { customerKey: <base64 AES-256 key> } or { kms: <key id> }' },
);

export const s3Upstream = z.strictObject({
  type: z.literal('s3'),
  /** The bucket, or an access point alias (it is written as a bucket). */
  bucket: bucketName.optional(),
  /** An access point ARN instead of a bucket: its endpoint and region come from it (access-point.ts). */
  accessPoint: z.string().regex(ACCESS_POINT_ARN, 'accessPoint is an access point ARN: arn:aws:s3:<region>:<account>:accesspoint/<name> (or arn:aws:s3::<account>:accesspoint/<alias>.mrap)').optional(),
  region: s3Region.optional(),
  /** SigV4A's region set as a list (`region: "*"` is any region): the X-Amz-Region-Set. */
  regionSet: z.array(s3Region).min(1, 'regionSet must name at least one region').optional(),
  endpoint: endpoint.optional(),
  addressing: z.enum(['virtual', 'path']).optional(),
  keyPrefix: keyPrefix.default(''),
  sse: sseSchema.optional(),
  /** Requester-pays buckets: every request says `x-amz-request-payer: requester` (signed). */
  requestPayer: boolFrom().default(false),
}).refine((u) => (u.bucket === undefined) !== (u.accessPoint === undefined), { message: 'required: the bucket (or an access point alias), or an accessPoint ARN instead — one of them', path: ['bucket'] });

export const mediastoreUpstream = z.strictObject({
  type: z.literal('mediastore'),
  endpoint,
  region,
  keyPrefix: keyPrefix.default(''),
});

/** A block's `upstream`: `type: s3` when no type is given. */
export const upstreamSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !('type' in v) ? { type: 's3', ...v } : v),
  z.discriminatedUnion('type', [s3Upstream, mediastoreUpstream], { error: 'upstream.type must be s3 or mediastore' }),
);
