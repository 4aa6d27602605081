import { stringify } from 'yaml';
import { deriveSigningKey } from '../signing/v4/signing-key.js';
import { credentialScope } from '../signing/v4/string-to-sign.js';
import { CliError } from './cli-error.js';

/** `20261123` is a day; `2026-11-23`, `2026112` and `20261399` are not. */
function isCalendarDate(date: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10).replaceAll('-', '') === date;
}

export interface SigningKeyOptions {
  readonly region: string;
  readonly service: string;
  /** `YYYYMMDD`; default: today (UTC) by `now`. */
  readonly date?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey: string;
  readonly now: () => number;
}

/**
 * A pre-derived SigV4 signing key and its scope, as a YAML credentials entry to paste into the
 * config (nginx aws-auth style: the box that runs the proxy never holds the secret). The key only
 * signs requests dated `date`.
 */
export function signingKeyYaml(o: SigningKeyOptions): string {
  const date = o.date ?? new Date(o.now()).toISOString().slice(0, 10).replaceAll('-', '');
  if (!isCalendarDate(date)) throw new CliError(`--date must be YYYYMMDD (a calendar day), got "${date}"`);
  if (!/^[a-z0-9-]+$/.test(o.region)) throw new CliError(`--region must look like eu-central-1, got "${o.region}"`);
  if (!/^[a-z0-9-]+$/.test(o.service)) throw new CliError(`--service must look like s3, got "${o.service}"`);
  const key = deriveSigningKey(o.secretAccessKey, date, o.region, o.service);
  const entry = {
    ...(o.accessKeyId ? { accessKeyId: o.accessKeyId } : {}),
    signingKey: key.toString('base64'),
    keyScope: credentialScope(date, o.region, o.service),
  };
  return `# pre-derived SigV4 signing key: signs requests dated ${date} only (${o.region}/${o.service})\n${stringify(entry)}`;
}

/** The secret comes from an environment variable or standard input, never from argv (ps, shell history). */
export async function readSecret(envName: string | undefined, stdin: NodeJS.ReadableStream): Promise<string> {
  if (envName !== undefined) {
    const value = process.env[envName];
    if (!value) throw new CliError(`environment variable ${envName} is empty or not set`);
    return value;
  }
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  const secret = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (secret === '') throw new CliError('no secret access key on standard input (or pass --secret-key-env VAR)');
  return secret;
}
