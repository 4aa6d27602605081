// What the log-redaction tests share (README "Operations → Logs"): secrets made fresh for each run,
// with the characters that get encoded on the way, registered with the leak check
// (secret-registry.ts) as they are made.
import { randomBytes } from 'node:crypto';
import { registerSecret } from './secret-registry.js';

export const BUCKET = 'redaction-bucket';

/** A fresh random secret with `+`, `/` and `=` in it, registered. */
export function secret(prefix: string): string {
  const s = `${prefix}/${randomBytes(18).toString('base64')}+${randomBytes(6).toString('hex')}=`;
  registerSecret(s);
  return s;
}

export const KEYS = { accessKeyId: 'AKIDREDACTSTATIC01', secretAccessKey: secret('static') };
export const TEMP = { accessKeyId: 'ASIAREDACTTEMP0001', secretAccessKey: secret('temp'), sessionToken: secret('IQoJtoken') };
/** The temporary keys' id and token with a secret the store does not know: SignatureDoesNotMatch. */
export const WRONG = { accessKeyId: TEMP.accessKeyId, secretAccessKey: secret('wrong'), sessionToken: TEMP.sessionToken };

/** The block path of one signing mode (`/v4-header-token/`). */
export const modePrefix = (version: string, mode: string, suffix = ''): string => `/${version}-${mode}${suffix}/`;
