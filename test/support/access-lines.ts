// Lines of a proxy's JSON log, waited for: access lines are written in batches (at least every
// 100 ms, src/log/logger.ts) and other lines when their event happens, so tests wait for a line
// instead of sleeping.
import type { ProxyProcess } from './proxy-cli.js';
import { waitFor } from './wait-for.js';

/** The first log line from index `after` on that matches `pred`; fails with the log's tail after `timeoutMs`. */
export async function waitForLog(proxy: ProxyProcess, pred: (l: Record<string, unknown>) => boolean, timeoutMs = 10_000, after = 0): Promise<Record<string, unknown>> {
  return waitFor(() => proxy.logs().slice(after).find(pred), 'a matching log line', timeoutMs, 20).catch((err: Error) => {
    throw new Error(`${err.message}; log:\n${proxy.lines.slice(-30).join('\n')}`);
  });
}

/** The access line of one request, found by its request id. */
export const accessLineFor = (proxy: ProxyProcess, reqId: unknown, timeoutMs = 15_000): Promise<Record<string, unknown>> =>
  waitForLog(proxy, (l) => l.msg === 'request' && l.reqId === reqId, timeoutMs);

/**
 * The JSON error body of a 5xx the proxy gave, checked to name no detail (it says what to do and
 * the request id), and the detail its access line holds instead.
 */
export async function serverErrorDetail(proxy: ProxyProcess, res: { text: string }): Promise<{ body: Record<string, unknown>; detail: string }> {
  const body = JSON.parse(res.text) as Record<string, unknown>;
  const id = body.requestId;
  if (typeof id !== 'string' || !String(body.message).endsWith(`(request id ${id})`)) throw new Error(`the message does not give the request id: ${res.text}`);
  const line = await accessLineFor(proxy, id);
  return { body, detail: String(line.detail) };
}
