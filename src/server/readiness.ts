import type { Dispatcher } from 'undici';
import type { CredentialProvider } from '../credentials/provider.js';
import { dispatchTarget, type TargetedDispatchOptions } from '../http/upstream-target.js';
import { upstreamTarget } from '../proxy/upstream-target.js';
import type { ProxyRuntime } from '../proxy/runtime.js';

export interface ReadyReport {
  readonly ready: boolean;
  readonly checks: Record<string, { ok: boolean; detail?: string }>;
}

/**
 * /readyz: the config is loaded (there is a runtime), every credential set a block uses can sign
 * now, and — when `readiness.probe` names an object — a signed HEAD for it through its block
 * answers 2xx. A replica that cannot reach its bucket is taken out of the load balancer. The
 * shared cache tier's state is in the detail (`cache.shared`), but never makes a replica unready.
 */
export async function readiness(rt: ProxyRuntime, providers: ReadonlyMap<string, CredentialProvider>): Promise<ReadyReport> {
  const checks: Record<string, { ok: boolean; detail?: string }> = { config: { ok: true } };
  for (const name of new Set(rt.config.proxies.map((b) => b.credentials.name))) {
    const state = providers.get(name)?.state();
    checks[`credentials:${name}`] = state?.valid
      ? { ok: true, ...(state.expiration ? { detail: `expires ${state.expiration.toISOString()}` } : {}) }
      : { ok: false, detail: state?.lastError ?? 'no credentials yet' };
  }
  // The shared cache tier is never a reason to take a replica out: without it, reads go to the
  // replica's own stores and the bucket. Its state is shown for the operator (ok either way).
  const shared = rt.shield?.stats().shared;
  if (shared) checks['cache.shared'] = { ok: true, detail: shared.detail };
  const probe = rt.config.readiness.probe;
  if (probe !== undefined) checks.probe = await probeObject(rt, probe, rt.config.readiness.timeout * 1000);
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

async function probeObject(rt: ProxyRuntime, path: string, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  const qi = path.indexOf('?');
  const route = rt.route(qi === -1 ? path : path.slice(0, qi));
  if (!route) return { ok: false, detail: `no block serves ${path}` };
  const target = upstreamTarget(route.block, 'HEAD', route.rest, qi === -1 ? '' : path.slice(qi + 1));
  if ('error' in target) return { ok: false, detail: `${target.error}: ${target.detail}` };
  try {
    const status = await headStatus(rt.dispatcher(route.block), { origin: route.block.origin, method: 'HEAD', ...dispatchTarget(target), headers: { host: route.block.host }, headersTimeout: timeoutMs }, timeoutMs);
    const ok = status >= 200 && status < 300;
    return { ok, detail: `HEAD ${path} → ${status}` };
  } catch (err) {
    return { ok: false, detail: `HEAD ${path} failed: ${(err as Error).message}` };
  }
}

/**
 * The status of one request through `dispatcher`, its body discarded, aborted after `timeoutMs`.
 * Written on `dispatch` (the handler API every dispatcher has) rather than `request`, which only
 * exists once undici's whole index is loaded — the proxy loads just its Pool (see pools.ts).
 */
function headStatus(dispatcher: Dispatcher, opts: TargetedDispatchOptions, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let controller: Dispatcher.DispatchController | undefined;
    const late = new Error(`no answer in ${timeoutMs} ms`);
    let timedOut = false;
    // Answered at the deadline even when the connection is still being made (the controller
    // comes once it is): the probe must never hold /readyz longer than readiness.timeout.
    const timer = setTimeout(() => {
      timedOut = true;
      controller?.abort(late);
      reject(late);
    }, timeoutMs);
    timer.unref();
    const settle = (err?: Error): void => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(status);
    };
    dispatcher.dispatch(opts, {
      onRequestStart: (c) => {
        controller = c;
        if (timedOut) c.abort(late);
      },
      onResponseStart: (_c, statusCode) => void (status = statusCode),
      onResponseData: () => {},
      onResponseEnd: () => settle(),
      onResponseError: (_c, err) => settle(err),
    });
  });
}
