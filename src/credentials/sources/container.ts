import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Credentials } from '../../signing/types.js';
import type { CredentialFetcher } from '../refreshing-provider.js';
import { httpText, parseMetadataCredentials } from './http.js';

const ECS_HOST = 'http://169.254.170.2';
/** Hosts a plain-http FULL_URI may name: loopback and the ECS / EKS Pod Identity agents (AWS SDK rule). */
const ALLOWED_HTTP_HOSTS = new Set(['localhost', '169.254.170.2', '169.254.170.23', '[fd00:ec2::23]']);

function allowedHttpHost(hostname: string): boolean {
  if (ALLOWED_HTTP_HOSTS.has(hostname)) return true;
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/** The container credentials URL from the environment ECS / EKS set, validated like the SDKs do. */
export function containerCredentialsUrl(env: NodeJS.ProcessEnv): string {
  const relative = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
  if (relative) return `${ECS_HOST}${relative.startsWith('/') ? '' : '/'}${relative}`;
  const full = env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  if (!full) throw new Error('neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set');
  const url = new URL(full);
  if (url.protocol === 'http:' && !allowedHttpHost(url.hostname)) {
    throw new Error(`AWS_CONTAINER_CREDENTIALS_FULL_URI over http must name a loopback address or the ECS/EKS agent, not ${url.hostname}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('AWS_CONTAINER_CREDENTIALS_FULL_URI must be http(s)');
  return url.toString();
}

/**
 * ECS task role / EKS Pod Identity credentials
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html). The
 * authorization token file is re-read on every refresh: EKS rotates it.
 */
export function containerFetcher(o: { env: NodeJS.ProcessEnv; timeoutMs: number }): CredentialFetcher {
  return async (): Promise<Credentials> => {
    const url = containerCredentialsUrl(o.env);
    const headers: Record<string, string> = {};
    const tokenFile = o.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
    const token = tokenFile ? (await readFile(tokenFile, 'utf8')).trim() : o.env.AWS_CONTAINER_AUTHORIZATION_TOKEN;
    if (token) headers.authorization = token;
    const res = await httpText(url, { headers, timeoutMs: o.timeoutMs });
    if (res.status !== 200) throw new Error(`container credentials endpoint answered ${res.status}`);
    return parseMetadataCredentials(res.text, 'container credentials endpoint');
  };
}
