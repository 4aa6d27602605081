// Runs the proxy the way a user does: the built CLI, a YAML file, a real process. Tests read its
// JSON log lines and its memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TestContext } from 'node:test';
import { isMap, parseDocument, stringify } from 'yaml';
import { binPath } from './paths.js';
import { assertNoLeaks, maskLine, registerConfigSecrets, registerEnvSecrets } from './secret-registry.js';

export interface ProxyProcess {
  readonly url: string;
  /** The admin listener (/healthz, /readyz, /metrics). */
  readonly adminUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Every stdout line so far (JSON log lines, parsed when they parse). */
  readonly lines: string[];
  readonly stderr: string[];
  logs(): Array<Record<string, unknown>>;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  rssMiB(): number;
  /** SIGTERM, then waits for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Test configs get `server.admin` on a free port unless they set it: many proxies run at once in
 * a test run, and the default admin port (9090) would collide.
 */
export function withTestAdmin(config: object | string): string {
  const doc = parseDocument(typeof config === 'string' ? config : stringify(config));
  if (doc.errors.length === 0 && isMap(doc.contents) && !doc.hasIn(['server', 'admin'])) {
    if (!doc.hasIn(['server'])) doc.setIn(['server'], doc.createNode({}));
    doc.setIn(['server', 'admin'], doc.createNode({ host: '127.0.0.1', port: 0 }));
  }
  return doc.errors.length === 0 ? doc.toString({ lineWidth: 0 }) : String(config);
}

/** Writes a config (object or YAML text) to a temp file and returns its path. */
export function writeConfig(config: object | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'os-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, withTestAdmin(config));
  return file;
}

function procStatusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]);
}

/**
 * `origin-signer serve --config FILE` with `server.port: 0`; resolves once it logs "listening".
 * Stopped (SIGTERM) after the test; then every secret in the config and the environment given
 * (and every secret a fake AWS endpoint issued: test/support/secret-registry.ts) must be absent
 * from every line the process wrote, or the test that started it fails.
 */
export async function startProxyCli(t: TestContext | undefined, config: object | string, env: NodeJS.ProcessEnv = {}): Promise<ProxyProcess> {
  const fullEnv = { ...process.env, ...env };
  registerConfigSecrets(config, fullEnv);
  registerEnvSecrets(fullEnv);
  const file = writeConfig(config);
  const child = spawn(binPath, ['serve', '--config', file], {
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // All output read: stdout and stderr closed (cluster workers share them, so this also waits for them).
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const checkLeaks = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    assertNoLeaks(`proxy pid ${child.pid} (${file})`, { stdout: lines, stderr });
  };
  let adminUrl = '';
  let listening = false;
  const url = await new Promise<string>((resolve, reject) => {
    // A proxy that never says "listening" (a log level above info, a hang) is killed: left running,
    // it kept the test process alive long after the test had failed.
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`proxy did not start within 15 s\nstdout:\n${lines.map(maskLine).join('\n')}\nstderr:\n${stderr.map(maskLine).join('\n')}`))), 15_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      lines.push(l);
      if (l.includes('"msg":"listening"')) {
        clearTimeout(timer);
        const line = JSON.parse(l) as { url: string; admin: string };
        adminUrl = line.admin;
        listening = true;
        resolve(line.url);
      }
    });
    void exited.then(async (code) => {
      if (listening) return; // a later exit: checked after the test
      clearTimeout(timer);
      let leaks = '';
      await checkLeaks().catch((err: Error) => (leaks = `\n${err.message}`));
      reject(new Error(`proxy exited with ${code} before listening${leaks}\nstderr:\n${stderr.map(maskLine).join('\n')}`));
    });
  });
  const pid = child.pid!;
  const proc: ProxyProcess = {
    url,
    adminUrl,
    port: Number(new URL(url).port),
    pid,
    child,
    lines,
    stderr,
    logs: () => lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    }),
    peakRssMiB: () => procStatusKiB(pid, 'VmHWM') / 1024,
    rssMiB: () => procStatusKiB(pid, 'VmRSS') / 1024,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  t?.after(async () => {
    await proc.stop();
    await checkLeaks();
  });
  return proc;
}

/** A proxy block for a strict origin on loopback, in one of the four signing modes. */
export function blockFor(
  originPort: number,
  opts: {
    path?: string;
    bucket: string;
    version: 'v4' | 'v2';
    mode: 'header' | 'query';
    addressing?: 'virtual' | 'path';
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | string;
    methods?: string[];
    region?: string;
    keyPrefix?: string;
    extra?: Record<string, unknown>;
  },
): Record<string, unknown> {
  return {
    path: opts.path ?? '/p/',
    upstream: {
      type: 's3',
      bucket: opts.bucket,
      ...(opts.version === 'v4' ? { region: opts.region ?? 'us-east-1' } : {}),
      endpoint: `http://localhost:${originPort}`,
      addressing: opts.addressing ?? 'virtual',
      ...(opts.keyPrefix ? { keyPrefix: opts.keyPrefix } : {}),
    },
    credentials: opts.credentials,
    signing: { version: opts.version, mode: opts.mode },
    methods: opts.methods ?? ['GET', 'HEAD'],
    ...opts.extra,
  };
}

export const SIGNING_MODES = [
  { version: 'v4', mode: 'header' },
  { version: 'v4', mode: 'query' },
  { version: 'v2', mode: 'header' },
  { version: 'v2', mode: 'query' },
] as const;
