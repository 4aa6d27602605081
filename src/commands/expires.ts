import { CliError } from './cli-error.js';

/**
 * One meaning everywhere: `--expires` is a number of seconds from now; `--expires-at` is a point
 * in time (epoch seconds or ISO 8601). A date or an epoch time given to `--expires` is refused
 * with the flag to use, rather than read as 55 years (or as 1970).
 */
const EPOCH_LOOKING = 1_000_000_000; // seconds: 2001-09-09 as an epoch time, 31 years as a duration

/** `--expires-at` / `--not-before`: epoch seconds, or an ISO 8601 date-time. */
export function parseTime(value: string, flag: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new CliError(`${flag} must be epoch seconds or an ISO 8601 date-time, got "${value}"`);
  return Math.floor(ms / 1000);
}

/** `--expires`: whole seconds from now. */
export function parseSeconds(value: string): number {
  if (!/^\d+$/.test(value)) {
    const asDate = Number.isNaN(Date.parse(value)) ? '' : `; for a date, use --expires-at ${value}`;
    throw new CliError(`--expires is a number of seconds from now, got "${value}"${asDate}`);
  }
  const seconds = Number(value);
  if (seconds >= EPOCH_LOOKING) throw new CliError(`--expires ${value} looks like an epoch time, but --expires is seconds from now: use --expires-at ${value}`);
  return seconds;
}

/** The expiry as epoch seconds, from whichever of the two flags was given (or undefined). */
export function expiryEpoch(expires: string | undefined, expiresAt: string | undefined, nowMs: number): number | undefined {
  if (expires !== undefined && expiresAt !== undefined) throw new CliError('give --expires (seconds from now) or --expires-at (a time), not both');
  if (expires !== undefined) return Math.floor(nowMs / 1000) + parseSeconds(expires);
  if (expiresAt !== undefined) return parseTime(expiresAt, '--expires-at');
  return undefined;
}
