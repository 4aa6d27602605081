/** Error names that say nothing beyond their message. */
const GENERIC = new Set(['Error', 'ProviderError', 'CredentialsProviderError', 'TypeError']);

/**
 * A one-line reason from an SDK error, for logs and 503 bodies: the service's error code, the
 * message, the HTTP status. Nothing else of the error object is read (an STS exception carries the
 * raw response). JSON.parse's SyntaxError may quote the start of the text it could not parse
 * (V8 11: `Unexpected token 'x', "…" is not valid JSON`; V8 13 words it differently), which from a
 * broken endpoint can be a secret, so any SyntaxError's message is replaced whole; so is a failed
 * `credential_process`'s, which quotes its command line and standard error.
 */
export function describeSdkError(err: unknown, secrets: ReadonlyArray<string | undefined> = []): string {
  return withoutSecrets(describe(err), secrets);
}

/**
 * A service's message may quote the request it refused: AWS's IncompleteSignature echoes the
 * Authorization header (its `Signature=`), and a broken or hostile endpoint may echo anything it was
 * sent — the session token, the secret. Signatures and the caller's own secrets are masked.
 */
function withoutSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text.replace(/(Signature=)[0-9a-fA-F]{16,}/g, '$1[redacted]');
  for (const s of secrets) if (s && s.length >= 8) out = out.split(s).join('[redacted]');
  return out;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { $metadata?: { httpStatusCode?: number }; statusCode?: number };
  const status = e.$metadata?.httpStatusCode ?? e.statusCode;
  const message =
    e.name === 'SyntaxError' || / is not valid JSON/.test(e.message)
      ? 'the answer is not valid JSON'
      : // child_process's "Command failed: <command line> <stderr>": either may carry a secret.
        /^Command failed:/.test(e.message)
        ? 'the credential_process command failed'
        : // The SDK's pointer to the raw response: a field of an object the operator never sees.
          e.message.replace(/\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\./, '').replace(/\s+/g, ' ').trim();
  const name = GENERIC.has(e.name) ? '' : `${e.name}: `;
  return `${name}${message}${status ? ` (HTTP ${status})` : ''}`;
}

/** The error a fetcher rejects with: where it went wrong and why (`secrets`: values of the caller's never to repeat). */
export function sdkFailure(where: string, err: unknown, secrets: ReadonlyArray<string | undefined> = []): Error {
  return new Error(`${where}: ${describeSdkError(err, secrets)}`);
}
