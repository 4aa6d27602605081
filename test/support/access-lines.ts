// The access line of one request, found by its request id. Access lines are written in batches
// (at least every 100 ms, src/log/logger.ts): this waits for the line instead of sleeping.
import type { ProxyProcess } from './proxy-cli.js';
import { waitFor } from './wait-for.js';

export async function accessLineFor(proxy: ProxyProcess, reqId: unknown, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  return waitFor(() => proxy.logs().find((l) => l.msg === 'request' && l.reqId === reqId), `the access line of request ${String(reqId)}`, timeoutMs, 20).catch((err: Error) => {
    throw new Error(`${err.message}; log:\n${proxy.lines.slice(-20).join('\n')}`);
  });
}

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
