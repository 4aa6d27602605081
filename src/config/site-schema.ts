import { z } from 'zod';
import { boolFrom, duration, headerName, HTTP_METHODS } from './schema-units.js';

/**
 * What a block serves to browsers (README "Static sites and browsers"): index documents, folder
 * listings, SPA fallback and error pages (`site`), CORS (`cors`), Host routing (`hosts`) and the
 * viewer query parameters it forwards (`query.allow`). All off by default.
 */

/** A key relative to the block, written as a path: `/index.html`, `/errors/404.html`. */
const blockObject = z
  .string()
  .regex(/^\/[^?#]*[^/?#]$/, 'an object of the block, as a path from its root: /index.html')
  .refine((p) => !p.split('/').some((s) => s === '.' || s === '..'), "no '.' or '..' segments");

export const siteSchema = z.strictObject({
  /** The object a folder (and the block root) serves: `GET /docs/guide/` → `guide/index.html`. */
  index: z.string().regex(/^[^/?#]+$/, 'index is a file name such as index.html (no slash)').optional(),
  /** A folder without an index document: an HTML listing (JSON with Accept: application/json). */
  listing: boolFrom().default(false),
  /** `/docs/guide` (no such object, but a folder) → 302 to `/docs/guide/`. */
  appendSlash: boolFrom().default(false),
  /** A missing path without a file extension serves this object, status 200 (single-page apps). */
  spaFallback: blockObject.optional(),
  /** Error statuses answered with an object of the bucket (keeping the status). */
  errorPages: z.partialRecord(z.enum(['403', '404'], { error: 'errorPages covers 403 and 404' }), blockObject).default({}),
});

/**
 * `https://player.example.com`, `https://*.example.org` (one label), or `*`. Lower-cased first: a
 * browser sends its origin in lower case, so `https://Player.example.com` names the same one.
 */
const corsOrigin = z
  .string()
  .transform((o) => o.toLowerCase())
  .pipe(
    z
      .string()
      .regex(/^(\*|https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?)$/, 'an origin: scheme://host[:port], a leading *. for one label, or *')
      .refine((o) => o === '*' || !o.slice(o.indexOf('//') + 2).replace(/^\*\./, '').includes('*'), 'a wildcard matches one leading label only'),
  );

export const corsSchema = z.strictObject({
  origins: z.array(corsOrigin).min(1, 'list at least one origin'),
  methods: z.array(z.enum(HTTP_METHODS, { error: 'a method S3 serves' })).default(['GET', 'HEAD']),
  /** Request headers a browser may send (besides the CORS-safelisted ones). */
  headers: z.array(headerName).default([]),
  /** Response headers scripts may read. */
  exposeHeaders: z.array(headerName).default(['content-range', 'accept-ranges', 'etag', 'content-length']),
  /** Seconds a browser may keep a preflight's answer. */
  maxAge: duration.default(600),
  credentials: boolFrom().default(false),
});

/** `media.example.com` or `*.example.com` (one label). */
export const hostPattern = z
  .string()
  .transform((h) => h.toLowerCase())
  .pipe(z.string().regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a host name such as media.example.com or *.example.com (no port)'));

/**
 * Viewer query parameters a block forwards and signs on reads, beyond the query table (S3 honours
 * `response-*` overrides only on signed requests). They become part of the cache key.
 */
export const QUERY_ALLOW = [
  'versionId',
  'response-content-type',
  'response-content-disposition',
  'response-content-language',
  'response-content-encoding',
  'response-cache-control',
  'response-expires',
] as const;

export const querySchema = z.strictObject({
  allow: z.array(z.enum(QUERY_ALLOW, { error: `query.allow lists parameters among ${QUERY_ALLOW.join(', ')}` })).default([]),
});

export type RawSite = z.infer<typeof siteSchema>;
export type RawCors = z.infer<typeof corsSchema>;
