import type { Credentials } from '../../signing/types.js';
import { httpText } from './http.js';

/** STS endpoint: explicit, else AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL, else the regional one. */
export function stsEndpoint(explicit: string | undefined, region: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = explicit ?? env.AWS_ENDPOINT_URL_STS ?? env.AWS_ENDPOINT_URL ?? (region ? `https://sts.${region}.amazonaws.com` : 'https://sts.amazonaws.com');
  return url.replace(/\/+$/, '');
}

/** The signing region for STS: the given one, else the environment's, else us-east-1 (global endpoint). */
export function stsRegion(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return explicit ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const unescapeXml = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e);
const element = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1]!.trim()) : undefined;
};

/** The `<Credentials>` of an AssumeRole* response, or the `<Error>` it carries as an exception. */
export function parseStsCredentials(status: number, xml: string, action: string): Credentials {
  if (status !== 200) {
    const code = element(xml, 'Code') ?? `HTTP ${status}`;
    const message = element(xml, 'Message');
    throw new Error(`STS ${action} failed: ${code}${message ? ` (${message})` : ''}`);
  }
  const block = element(xml, 'Credentials');
  const accessKeyId = block && element(block, 'AccessKeyId');
  const secretAccessKey = block && element(block, 'SecretAccessKey');
  const sessionToken = block && element(block, 'SessionToken');
  const expiration = block && element(block, 'Expiration');
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) throw new Error(`STS ${action} answered without complete Credentials`);
  const when = new Date(expiration);
  if (Number.isNaN(when.getTime())) throw new Error(`STS ${action} answered an invalid Expiration`);
  return { accessKeyId, secretAccessKey, sessionToken, expiration: when };
}

/** Form body of an STS Query API call (https://docs.aws.amazon.com/STS/latest/APIReference/). */
export function stsForm(action: string, params: Record<string, string | undefined>): string {
  const all: Record<string, string> = { Action: action, Version: '2011-06-15' };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) all[k] = v;
  return new URLSearchParams(all).toString();
}

export async function stsPost(endpoint: string, body: string, headers: Record<string, string>, timeoutMs: number, action: string): Promise<Credentials> {
  const res = await httpText(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers }, body, timeoutMs });
  return parseStsCredentials(res.status, res.text, action);
}
