// A real nginx for the fleet tests (README "Running a fleet"): the shipped
// deploy/nginx/consistent-hash.conf, with only its replica list and its listen address replaced,
// run by a private nginx on a free loopback port. Install with: sudo bash scripts/nginx/install.sh
// (Debian's nginx-light; .ci/run does it).
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';
import { repoRoot } from './paths.js';
import { skipUnlessInstalled } from './skip-reason.js';
import { waitFor } from './wait-for.js';
import { tryConnect } from './ops-download.js';

export const CONSISTENT_HASH_CONF = join(repoRoot, 'deploy', 'nginx', 'consistent-hash.conf');

/** nginx on PATH, or where Debian puts it (/usr/sbin, not on every user's PATH). */
export function nginxBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin'];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, 'nginx'), constants.X_OK);
      return join(dir, 'nginx');
    } catch {
      // next
    }
  }
  return undefined;
}

/** For `test(name, { skip: nginxSkipReason() }, ...)`: nginx installed, else skipped (an error on CI). */
export function nginxSkipReason(): string | undefined {
  return skipUnlessInstalled(nginxBinary() ? undefined : 'nginx is not installed (run: sudo bash scripts/nginx/install.sh)', 'the fleet routing test');
}

/**
 * deploy/nginx/consistent-hash.conf for these replicas: each `server` line between `# BEGIN
 * replicas` and `# END replicas` is replaced by one per port (keeping the shipped line's options,
 * max_fails and the rest), and `listen 80;` by `listen 127.0.0.1:<listenPort>;`. Nothing else is
 * touched, so the file operators copy is the file the test runs. Throws when either marker or the
 * listen line is missing: the shipped file and the test must move together.
 */
export function consistentHashSite(replicaPorts: readonly number[], listenPort: number, text = readFileSync(CONSISTENT_HASH_CONF, 'utf8')): string {
  const block = /^([ \t]*# BEGIN replicas\n)((?:[ \t]*server [^\n]*\n)+)([ \t]*# END replicas\n)/m.exec(text);
  if (!block) throw new Error(`${CONSISTENT_HASH_CONF}: no "# BEGIN replicas" … "# END replicas" block of server lines`);
  const first = /^([ \t]*)server\s+\S+(.*)$/m.exec(block[2]!)!;
  const [indent, options] = [first[1]!, first[2]!];
  const servers = replicaPorts.map((p) => `${indent}server 127.0.0.1:${p}${options}\n`).join('');
  let out = text.slice(0, block.index) + block[1] + servers + block[3] + text.slice(block.index + block[0].length);
  const listen = /^([ \t]*)listen 80;$/m;
  if (!listen.test(out)) throw new Error(`${CONSISTENT_HASH_CONF}: no "listen 80;" line`);
  out = out.replace(listen, `$1listen 127.0.0.1:${listenPort};`);
  return out;
}

export interface Nginx {
  readonly port: number;
  readonly dir: string;
  /** nginx's error log so far (connect failures to a dead replica show here). */
  errorLog(): string;
}

const listening = (port: number, timeoutMs: number): Promise<unknown> => waitFor(async () => (await tryConnect(port)) === 'connected', `nginx to listen on ${port}`, timeoutMs, 50);

/**
 * A private nginx (one worker, no daemon, every path in a temp dir) running `site` in its http {}
 * context on `port`; checked with `nginx -t` first, stopped (SIGTERM: fast shutdown) after the test.
 */
export async function startNginx(t: TestContext, site: string, port: number): Promise<Nginx> {
  const bin = nginxBinary();
  if (!bin) throw new Error('nginx is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'os-nginx-'));
  writeFileSync(join(dir, 'site.conf'), site);
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off; master_process on; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log notice;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`,
  );
  const check = spawn(bin, ['-t', '-q', '-c', conf, '-p', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let checkErr = '';
  check.stderr!.setEncoding('utf8').on('data', (d: string) => (checkErr += d));
  const code = await new Promise<number | null>((resolve) => check.once('close', resolve));
  if (code !== 0) throw new Error(`nginx -t refused the config (${code}):\n${checkErr}\n--- site.conf\n${site}`);

  const child = spawn(bin, ['-c', conf, '-p', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (): void => void child.kill('SIGTERM');
  process.once('exit', kill); // the test runner dying must not leave nginx behind
  t.after(async () => {
    process.removeListener('exit', kill);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  const errorLog = (): string => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await Promise.race([listening(port, 10_000), exited.then(() => Promise.reject(new Error(`nginx exited:\n${errorLog()}`)))]);
  } catch (err) {
    kill();
    throw err;
  }
  return { port, dir, errorLog };
}
