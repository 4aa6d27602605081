import type { IncomingHttpHeaders } from 'node:http';
import { firstValue } from '../http/first-value.js';

/**
 * The body hash a viewer claimed in `x-amz-content-sha256`, when it is one (64 hex digits), lower-case;
 * not UNSIGNED-PAYLOAD nor a STREAMING-* framing. An S3 client sends it with each signed upload.
 */
export function claimedSha256(headers: IncomingHttpHeaders): string | undefined {
  const v = firstValue(headers['x-amz-content-sha256'])?.trim();
  return v !== undefined && /^[0-9a-fA-F]{64}$/.test(v) ? v.toLowerCase() : undefined;
}

/**
 * Why a spooled upload must not go on: its SHA-256, computed as it was spooled (payload: sha256), is
 * not the one the viewer claimed. S3 refuses such a request itself (400 XAmzContentSHA256Mismatch, S3
 * API Reference "Error responses"), but the proxy signs its own hash, so the store would take the body.
 */
export function sha256Mismatch(headers: IncomingHttpHeaders, computed: string | undefined): string | undefined {
  const claimed = claimedSha256(headers);
  return computed === undefined || claimed === undefined ? undefined : mismatchReason(claimed, computed);
}

/** Why a body that hashes to `computed` is refused under a claimed `claimed`, or undefined when they agree. */
export function mismatchReason(claimed: string, computed: string): string | undefined {
  return claimed === computed ? undefined : `x-amz-content-sha256 is ${claimed}, and the body received hashes to ${computed}: nothing was stored`;
}
