import type { EntryMeta } from './entry.js';

/**
 * An entry's metadata as read back from disk, or undefined when it is not one: the disk store
 * treats such an entry as corrupt rather than replaying whatever a damaged or older file holds.
 */
export function parseEntryMeta(value: unknown): EntryMeta | undefined {
  if (!isRecord(value)) return undefined;
  const { status, headers, etag, objectSize, storedAt, freshUntil, code } = value;
  if (!Number.isInteger(status) || !isStringRecord(headers)) return undefined;
  if (!isCount(objectSize) || !Number.isFinite(storedAt) || !Number.isFinite(freshUntil)) return undefined;
  if (etag !== undefined && typeof etag !== 'string') return undefined;
  if (code !== undefined && typeof code !== 'string') return undefined;
  const meta: EntryMeta = {
    status: status as number,
    headers,
    etag,
    objectSize,
    storedAt: storedAt as number,
    freshUntil: freshUntil as number,
  };
  return code === undefined ? meta : { ...meta, code };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
