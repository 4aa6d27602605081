import { request } from 'node:http';
import type { Credentials } from '../../signing/types.js';
import type { CredentialFetcher } from '../refreshing-provider.js';

// Hand-written on purpose: the SDK's fromInstanceMetadata has no endpoint option (only
// AWS_EC2_METADATA_SERVICE_ENDPOINT or the config file, one per process), so a set's own
// `endpoint:` is served here, with the same IMDSv2 exchange and IMDSv1 rule.

const TOKEN_TTL_SECONDS = '21600';

/** `what` says how the token request went: "failed", "answered 500", "failed (ECONNREFUSED …)". */
export function v1FallbackOff(what: string): string {
  return `IMDSv2 token request ${what} and the IMDSv1 fallback is off: set allowImdsV1: true to allow it`;
}

/** An IMDS answer (a token, a role name, a credentials document) is well under this. */
export const IMDS_MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One GET/PUT to IMDS (plain http, link-local or loopback), the whole exchange bounded by
 * `timeoutMs` and its answer by IMDS_MAX_ANSWER_BYTES: an endless or dripping answer is cut, not
 * buffered or waited on (the fetch's deadline rejects the fetch but does not stop its request).
 * Rejects with how it went ("answered 500", "failed (…)"); an error body is not read.
 */
function imdsCall(url: URL, method: string, headers: Record<string, string>, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const failed = (err: Error): void => reject(new Error(`failed (${err.message})`));
    const req = request(url, { method, headers, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`answered ${res.statusCode}`));
        return void req.destroy();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > IMDS_MAX_ANSWER_BYTES) return void req.destroy(new Error(`answer larger than ${IMDS_MAX_ANSWER_BYTES} bytes`));
        chunks.push(c);
      });
      res.on('error', failed);
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    const late = setTimeout(() => req.destroy(new Error(`no whole answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(late));
    req.on('error', failed);
    req.end();
  });
}

/** The role's credentials document (the shape the SDK accepts: four strings). */
function parse(text: string): Credentials {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error('IMDS: the credentials answer is not JSON');
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration } = doc;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof Token !== 'string' || typeof Expiration !== 'string') {
    throw new Error('IMDS: the credentials answer lacks AccessKeyId, SecretAccessKey, Token or Expiration');
  }
  const expiration = new Date(Expiration);
  if (Number.isNaN(expiration.getTime())) throw new Error('IMDS: the credentials answer has an invalid Expiration');
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: Token, expiration };
}

/** PUT a session token, then GET the role name and its credentials with it (IMDSv1: without). */
export function imdsAtEndpointFetcher(o: { endpoint: string; allowImdsV1: boolean; timeoutMs: number }): CredentialFetcher {
  const base = o.endpoint.replace(/\/+$/, '');
  const at = (path: string): URL => new URL(`${base}${path}`);
  return async () => {
    let headers: Record<string, string> = {};
    try {
      const token = await imdsCall(at('/latest/api/token'), 'PUT', { 'x-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS }, o.timeoutMs);
      headers = { 'x-aws-ec2-metadata-token': token };
    } catch (err) {
      if (!o.allowImdsV1) throw new Error(`IMDS: ${v1FallbackOff((err as Error).message)}`);
    }
    const roles = await imdsCall(at('/latest/meta-data/iam/security-credentials/'), 'GET', headers, o.timeoutMs).catch((err: Error) => {
      throw new Error(`IMDS role listing ${err.message}`);
    });
    const role = roles.split('\n')[0]?.trim();
    if (!role) throw new Error('IMDS lists no instance role (is an instance profile attached?)');
    const doc = await imdsCall(at(`/latest/meta-data/iam/security-credentials/${encodeURIComponent(role)}`), 'GET', headers, o.timeoutMs).catch((err: Error) => {
      throw new Error(`IMDS credentials of role ${role} ${err.message}`);
    });
    return parse(doc);
  };
}
