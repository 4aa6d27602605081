import { readFileSync } from 'node:fs';
import { isNode } from 'yaml';
import { substituteEnv } from '../config/env.js';
import { serverSchema } from '../config/server-schema.js';
import { parseYaml } from '../config/yaml-source.js';

/** Where the image (Dockerfile CMD) and the README mount the config. */
export const DEFAULT_CONFIG = '/etc/origin-signer/config.yaml';

export interface HealthResult {
  readonly exitCode: 0 | 1;
  /** One line for the container runtime's health log. */
  readonly line: string;
}

/**
 * `server.admin` as plain data. Only that node is read: a YAML problem elsewhere in an edited file
 * (the proxy still serves the previous one) must not fail the probe, and the rest of the file may
 * hold secrets the probe's output (kept by Docker) must never show — so no parser text is printed.
 */
function adminValue(text: string, env: NodeJS.ProcessEnv): unknown {
  const src = parseYaml(text);
  const node: unknown = src.doc.getIn(['server', 'admin'], true);
  if (node === undefined) return undefined;
  substituteEnv(src.doc, env, { allowMissing: true });
  const broken = src.syntaxProblems.find((p) => p.line !== undefined && isNode(node) && node.range && p.line >= src.position(node.range[0]).line && p.line <= src.position(node.range[2]).line);
  if (broken) throw new Error(`server.admin: not valid YAML (line ${broken.line})`);
  try {
    return isNode(node) ? node.toJS(src.doc) : node;
  } catch {
    throw new Error('server.admin: cannot be read (a YAML alias?)');
  }
}

/**
 * The admin listener's address from the config: only `server.admin` is read (with `${ENV}`
 * substituted), so a probe every few seconds neither loads credentials nor fails because an
 * unrelated part of an edited file is wrong while the proxy still serves the previous one.
 */
export function adminUrlOf(text: string, env: NodeJS.ProcessEnv): string {
  const parsed = serverSchema.shape.admin.safeParse(adminValue(text, env));
  if (!parsed.success) throw new Error(`server.admin: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { host, port } = parsed.data;
  // A listener on every address is reached on loopback from inside the container.
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}/healthz`;
}

/** `origin-signer health`: GET /healthz on the admin listener; 0 when it answers 200, 1 otherwise. */
export async function healthCommand(opts: { config: string; timeoutMs: number; env: NodeJS.ProcessEnv }): Promise<HealthResult> {
  let url: string;
  try {
    url = adminUrlOf(readFileSync(opts.config, 'utf8'), opts.env);
  } catch (err) {
    return { exitCode: 1, line: `unhealthy: cannot read the admin address from ${opts.config}: ${(err as Error).message}` };
  }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs) });
    await res.body?.cancel();
    return res.status === 200 ? { exitCode: 0, line: `healthy: ${url} answered 200` } : { exitCode: 1, line: `unhealthy: ${url} answered ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { exitCode: 1, line: `unhealthy: ${url}: ${why}` };
  }
}
