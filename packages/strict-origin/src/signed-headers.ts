/** The values of the headers a SigV4 / SigV4A signature covers, as signed. */
import { headerJoined } from './headers.js';
import type { SignableRequest } from './types.js';

/** The signed headers' values as received (repeats joined with ","); absent ones are left out. */
export function signedHeaderValues(req: SignableRequest, signed: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const v = headerJoined(req.headers, name);
    if (v !== undefined) headers[name] = v;
  }
  return headers;
}
