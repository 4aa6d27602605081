import { OriginSignerError, type ErrorCode } from '../errors.js';

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Maps a dispatch failure to the viewer's answer: 504 for timeouts, 502 for everything else. */
export function classifyUpstreamError(err: unknown): { code: ErrorCode; detail: string } {
  if (err instanceof OriginSignerError) return { code: err.code, detail: err.message };
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code ?? 'ERROR';
  if (TIMEOUTS.has(code)) return { code: 'OS_ERR_UPSTREAM_TIMEOUT', detail: `upstream timed out (${code})` };
  return { code: 'OS_ERR_UPSTREAM_UNREACHABLE', detail: `upstream unreachable (${code})` };
}
