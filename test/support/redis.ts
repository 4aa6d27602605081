// A real redis-server for the shared-tier tests (test/e2e/shared-tier-*.test.ts), started by the
// test itself on a free loopback port with no persistence, stopped after the test. Install it with:
// sudo bash scripts/redis/install.sh (Debian's redis-server package; .ci/run does it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { freePort } from './sockets.js';
import { onPath } from './on-path.js';
import { skipUnlessInstalled } from './skip-reason.js';
import { waitFor } from './wait-for.js';

/** For `test(name, { skip: redisSkipReason() }, ...)`: redis-server on PATH, else skipped (an error on CI). */
export function redisSkipReason(): string | undefined {
  return skipUnlessInstalled(onPath('redis-server') ? undefined : 'redis-server is not installed (run: sudo bash scripts/redis/install.sh)', 'the shared-tier tests');
}

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:PORT/0 (with the password, when started with one). */
  readonly url: string;
  readonly child: ChildProcess;
  /** Runs a command with redis-cli against it; its standard output, trimmed. */
  cli(...args: string[]): string;
  /** SIGKILL, as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
}

/** redis-server on a free port, no RDB or AOF, ready when this resolves; killed after the test. */
export async function startRedis(t: TestContext, o: { password?: string; port?: number; args?: string[] } = {}): Promise<RedisServer> {
  const port = o.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...(o.password ? ['--requirepass', o.password] : []), ...(o.args ?? [])];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b.toString()));
  child.stderr!.on('data', (b: Buffer) => out.push(b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const kill = async (): Promise<void> => {
    if (!gone) child.kill('SIGKILL');
    await exited;
  };
  t.after(kill);
  await waitFor(
    () => {
      if (gone) throw new Error('it exited');
      return out.join('').includes('Ready to accept connections');
    },
    'redis-server to accept connections',
    10_000,
    20,
  ).catch((err: Error) => {
    throw new Error(`redis-server did not start on port ${port} (${err.message}):\n${out.join('')}`);
  });
  const auth = o.password ? ['-a', o.password, '--no-auth-warning'] : [];
  return {
    port,
    url: `redis://${o.password ? `:${encodeURIComponent(o.password)}@` : ''}127.0.0.1:${port}/0`,
    child,
    cli: (...cmd) => {
      const r = spawnSync('redis-cli', ['-p', String(port), ...auth, ...cmd], { encoding: 'utf8', timeout: 10_000 });
      if (r.status !== 0) throw new Error(`redis-cli ${cmd.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    },
    kill,
  };
}

export interface DelayingRelay {
  readonly port: number;
  /** From now on, every chunk either way waits this long (0: none). */
  delay(ms: number): void;
}

/** A TCP relay in front of `port` that holds every chunk, both ways, for a set delay: a slow Redis. */
export async function startDelayingRelay(t: TestContext, port: number): Promise<DelayingRelay> {
  let delayMs = 0;
  const sockets = new Set<Socket>();
  const pass = (from: Socket, to: Socket): void => {
    // In order, as TCP keeps it: once the delay is lowered, a chunk still waits behind those held
    // before it (else a command sent later reached Redis first, and ioredis, which pairs answers
    // with commands in order, gave each command another one's answer).
    const held: Array<{ at: number; chunk: Buffer }> = [];
    let timer: NodeJS.Timeout | undefined;
    const release = (): void => {
      timer = undefined;
      while (held.length > 0 && held[0]!.at <= Date.now()) {
        const { chunk } = held.shift()!;
        if (!to.destroyed) to.write(chunk);
      }
      if (held.length > 0) timer = setTimeout(release, held[0]!.at - Date.now());
    };
    from.on('data', (chunk: Buffer) => {
      held.push({ at: Date.now() + delayMs, chunk });
      if (timer === undefined) release();
    });
    from.on('close', () => setTimeout(() => to.destroy(), Math.max(delayMs, (held.at(-1)?.at ?? 0) - Date.now())));
    from.on('error', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    pass(client, upstream);
    pass(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, delay: (ms) => void (delayMs = ms) };
}
