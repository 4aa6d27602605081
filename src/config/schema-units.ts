import { z } from 'zod';
import { parseCidr } from '../http/cidr.js';

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** A byte count: a number, or text such as `512MiB`, `1GiB`, `100MB`. */
export const byteSize = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*$/i.exec(v);
    return m ? Math.floor(Number(m[1]) * (SIZE_UNITS[(m[2] ?? '').toUpperCase()] ?? NaN)) : v;
  },
  z.number({ error: 'a size in bytes, or text like 512MiB / 1GiB' }).int().min(0),
);

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** A duration in seconds: a number, or text such as `500ms`, `2s`, `10m`, `1h`, `1d`. */
export const duration = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
    return m ? Number(m[1]) * (DURATION_UNITS[m[2] ?? 's'] ?? NaN) : v;
  },
  z.number({ error: 'a duration: seconds, or text like 500ms / 2s / 10m / 1h / 1d' }).min(0),
);

/** A number of seconds from `min` to `max`, also from its string form (no unit suffix: see `duration`). */
export const seconds = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v.trim()) : v), z.number().min(min).max(max));

/** An integer, also from its string form (values from `${ENV}` arrive as strings). */
export const intFrom = (schema: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v), schema);
/** A boolean, also from `true` / `false` text. */
export const boolFrom = () =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** A string that must not be empty, saying so by name. */
export const nonEmpty = (what: string) => z.string().min(1, `${what} must not be empty`);

/** An AWS region name (a credential source's STS region, a MediaStore container's region). */
export const region = z.string().regex(/^[a-z0-9-]+$/, 'region must look like eu-central-1');

/** An address range: `10.0.0.0/8`, `2001:db8::/32`, or one address. */
export const cidr = z.string().refine((v) => parseCidr(v) !== undefined, 'must be an IPv4 or IPv6 address or CIDR range, e.g. 10.0.0.0/8 or 2001:db8::/32');

/** A 256-bit key in base64 (a SigV4 signing key, an SSE-C customer key); `what` says what it is. */
export const base64Key = (field: string, what: string) =>
  z.base64(`${field} must be base64`).refine((s) => Buffer.from(s, 'base64').length === 32, `${field} must decode to 32 bytes (${what})`);

/** An HTTP header name (RFC 9110 token), lower-cased. */
export const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'not a valid HTTP header name')
  .transform((h) => h.toLowerCase());

/**
 * The methods S3 (and MediaStore) serve: GET/HEAD read, PUT/DELETE write, POST drives multipart
 * uploads, OPTIONS is the CORS preflight. S3 has no PATCH (an object is replaced whole), and
 * anything else would be answered 405 by the store itself.
 */
export const HTTP_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'] as const;
