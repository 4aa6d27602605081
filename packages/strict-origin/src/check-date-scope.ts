/**
 * The checks on a SigV4 / SigV4A credential's scope and time: terminal, region and service; the
 * request date against the credential's date and the clock; a presigned URL's validity window.
 */
import { formatAmzDate, isoSeconds, parseAmzDate } from './dates.js';
import { headerJoined } from './headers.js';
import { accessDenied, requestTimeTooSkewed } from './s3-errors.js';
import { malformedCredentialParam, malformedHeader, malformedQuery, type CredentialError } from './sigv4-errors.js';
import type { SignableRequest } from './types.js';

/** S3's limit on X-Amz-Expires: seven days. */
const MAX_PRESIGNED_EXPIRES = 604800;

export interface Clock {
  /** "Now" in ms since epoch (injected clock). */
  now: number;
  maxSkewMs: number;
}

/** A verified request date: the Date and its `YYYYMMDD'T'HHMMSS'Z'` form. */
export interface SignedDate {
  date: Date;
  amzDate: string;
}

export const shortDate = (amzDate: string): string => amzDate.slice(0, 8);

/** Terminal, region (SigV4's scope only: SigV4A's has none) and service, in S3's order. */
export function checkCredentialScope(
  scope: { terminal: string; region?: string; service: string },
  expected: { region: string; service: string },
  fail: CredentialError,
): void {
  if (scope.terminal !== 'aws4_request') throw fail(`incorrect terminal "${scope.terminal}". This endpoint uses "aws4_request".`);
  if (scope.region !== undefined && scope.region !== expected.region) {
    throw fail(`the region '${scope.region}' is wrong; expecting '${expected.region}'`, [['Region', expected.region]]);
  }
  if (scope.service !== expected.service) {
    throw fail(`incorrect service "${scope.service}". This endpoint belongs to "${expected.service}".`);
  }
}

function checkCredentialDate(credentialDate: string, amzDate: string, fail: CredentialError): void {
  if (credentialDate !== shortDate(amzDate)) {
    throw fail(`Invalid credential date "${credentialDate}". This date is not the same as X-Amz-Date: "${shortDate(amzDate)}".`);
  }
}

/** Header auth: x-amz-date, matching the credential's date and within the clock skew. */
export function headerRequestDate(req: SignableRequest, credentialDate: string, clock: Clock): SignedDate {
  const value = headerJoined(req.headers, 'x-amz-date');
  const date = value === undefined ? undefined : parseAmzDate(value.trim());
  if (value === undefined || date === undefined) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  const amzDate = formatAmzDate(date);
  checkCredentialDate(credentialDate, amzDate, malformedHeader);
  if (Math.abs(date.getTime() - clock.now) > clock.maxSkewMs) throw requestTimeTooSkewed(amzDate, clock.now, clock.maxSkewMs);
  return { date, amzDate };
}

/** Presigned: X-Amz-Date, matching the credential's date (the clock is checkPresignedWindow's). */
export function presignedRequestDate(value: string, credentialDate: string): SignedDate {
  const date = parseAmzDate(value);
  if (!date) throw malformedQuery('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const amzDate = formatAmzDate(date);
  checkCredentialDate(credentialDate, amzDate, malformedCredentialParam);
  return { date, amzDate };
}

export function presignedExpires(value: string): number {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(value)) throw malformedQuery('X-Amz-Expires should be a number');
  const expires = Number(value);
  if (expires > MAX_PRESIGNED_EXPIRES) throw malformedQuery('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  return expires;
}

/**
 * Not before X-Amz-Date (less the clock skew S3 allows header auth too), not after it plus
 * X-Amz-Expires (as sent: presignedExpires allows no leading zeros). `reportTimes`: the expired answer also carries Expires and ServerTime (SigV4's
 * does, SigV4A's never has).
 */
export function checkPresignedWindow(date: Date, expires: number, clock: Clock, reportTimes: boolean): void {
  if (date.getTime() - clock.now > clock.maxSkewMs) throw accessDenied('Request is not valid yet');
  if (clock.now > date.getTime() + expires * 1000) {
    const fields: Array<[string, string]> = [['X-Amz-Expires', String(expires)]];
    if (reportTimes) fields.push(['Expires', isoSeconds(date.getTime() + expires * 1000)], ['ServerTime', isoSeconds(clock.now)]);
    throw accessDenied('Request has expired', fields);
  }
}
