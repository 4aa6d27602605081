import { OriginSignerError, type ErrorCode } from '../errors.js';

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * Maps a dispatch failure to the viewer's answer: 504 for timeouts, 502 for everything else. The
 * detail (the store's address, a credential source's error) is for the log only: sendError gives
 * the viewer a fixed message for these codes.
 */
export function classifyUpstreamError(err: unknown): { code: ErrorCode; detail: string } {
  if (err instanceof OriginSignerError) return { code: err.code, detail: err.message };
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code ?? 'ERROR';
  const said = e?.cause?.message ?? e?.message;
  const detail = said && said !== code ? `${code}: ${said}` : code;
  if (TIMEOUTS.has(code)) return { code: 'OS_ERR_UPSTREAM_TIMEOUT', detail: `upstream timed out (${detail})` };
  return { code: 'OS_ERR_UPSTREAM_UNREACHABLE', detail: `upstream unreachable (${detail})` };
}
