
export interface HttpResult {
  readonly status: number;
  readonly text: string;
}

/**
 * One small HTTP exchange with a credential endpoint (IMDS, ECS, STS), bounded in time. These
 * endpoints are local or regional and answer in milliseconds; a hung one must not hold a refresh.
 */
export async function httpText(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpResult> {
  // Loaded on first use: most deployments use static keys and never need undici's whole index.
  const { request } = await import('undici');
  const res = await request(url, {
    method: (opts.method ?? 'GET') as 'GET',
    headers: opts.headers ?? {},
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    signal: AbortSignal.timeout(opts.timeoutMs * 2),
  });
  const text = await res.body.text();
  return { status: res.statusCode, text };
}

/** `{AccessKeyId, SecretAccessKey, Token, Expiration}` — the shape IMDS and the ECS endpoint share. */
export function parseMetadataCredentials(text: string, where: string): { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${where} did not answer JSON`);
  }
  if (json.Code !== undefined && json.Code !== 'Success') throw new Error(`${where} answered Code ${String(json.Code)}`);
  const { AccessKeyId, SecretAccessKey, Token, Expiration } = json;
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string') throw new Error(`${where} answered without AccessKeyId/SecretAccessKey`);
  const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined;
  if (expiration && Number.isNaN(expiration.getTime())) throw new Error(`${where} answered an invalid Expiration`);
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, ...(typeof Token === 'string' && Token ? { sessionToken: Token } : {}), ...(expiration ? { expiration } : {}) };
}
