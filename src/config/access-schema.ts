import { z } from 'zod';
import { boolFrom, cidr, headerName } from './schema-units.js';

/**
 * Viewer-side rules of a block (all must pass), or the top-level default for blocks without their
 * own (README "Viewer access control"). The usual set-up: only the CDN may reach the origin
 * (requireHeader), and viewers need a CloudFront-style signed URL or cookies (signedUrls).
 */
export const accessSchema = z.strictObject({
  requireHeader: z
    .strictObject({
      name: headerName,
      /** Several values, so a secret can be rotated without downtime. */
      values: z.array(z.string().min(8, 'a secret header value needs at least 8 characters')).min(1),
    })
    .optional(),
  allowIps: z.array(cidr).min(1).optional(),
  signedUrls: z
    .strictObject({
      /** Key-Pair-Id → public key: PEM text or a PEM file path. */
      keys: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a Key-Pair-Id such as K2JCJMDEHXQW5F'), z.string().min(1)).refine((k) => Object.keys(k).length > 0, 'at least one key'),
      cookies: boolFrom().default(false),
      /** Scheme and host the viewer's URLs were signed for (the CDN's), e.g. https://d111111abcdef8.cloudfront.net. */
      // abort: a value that is no URL stops at its problem; the next check would throw on it.
      baseUrl: z.url({ protocol: /^https?$/, abort: true }).refine((u) => new URL(u).pathname === '/' && !new URL(u).search, 'baseUrl is scheme and host only').optional(),
    })
    .optional(),
});

export type RawAccess = z.infer<typeof accessSchema>;
