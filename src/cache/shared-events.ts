import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Waits for the fill another replica holds the lock of: `done` (it kept an entry), `none` (it kept nothing), `timeout`. */
export interface Watch {
  next(ms: number): Promise<'done' | 'none' | 'timeout'>;
  close(): void;
}

/** What other replicas dropped, for this replica's own stores. */
export interface RemoteDrops {
  invalidate(base: string): void;
  purge(prefix: string): void;
}

interface Watcher {
  got: 'done' | 'none' | undefined;
  wake: (() => void) | undefined;
}

interface Message {
  readonly f: string;
  readonly t: 'inv' | 'purge' | 'done';
  readonly k: string;
  readonly n?: number;
}

/**
 * The replicas' one pub/sub channel (one per Redis database), on its own connection (a subscribed connection takes no
 * other command): a fill that ends (`done`: its waiters read the tier, or fill themselves when it
 * kept nothing), and invalidations and purges (`inv`, `purge`: each replica drops its own copies).
 * A replica ignores its own invalidations, which it applied already. Messages missed while Redis
 * is away are lost: the replica's own copies then last until they expire (README).
 */
export class SharedEvents {
  readonly #sub: Redis;
  readonly #id = randomUUID();
  readonly #watchers = new Map<string, Set<Watcher>>();
  remote: RemoteDrops | undefined;

  /** `channel`: shared-keys.ts channelOf, for the database `redis` uses. */
  constructor(redis: Redis, channel: string) {
    // The subscriber may queue its SUBSCRIBE until it connects (it is never on a request's path),
    // and subscribes again after every reconnection (ioredis autoResubscribe).
    this.#sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, connectionName: 'origin-signer-events' });
    this.#sub.on('error', () => {});
    this.#sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.#message(message));
    this.#sub.subscribe(channel).catch(() => {});
  }

  /** Listens for the `done` of the fill holding `lock` (a lock key). */
  watch(lock: string): Watch {
    const w: Watcher = { got: undefined, wake: undefined };
    let set = this.#watchers.get(lock);
    if (!set) this.#watchers.set(lock, (set = new Set()));
    set.add(w);
    return {
      next: (ms) =>
        new Promise((resolve) => {
          const take = (): void => {
            const got = w.got ?? 'timeout';
            w.got = undefined;
            w.wake = undefined;
            resolve(got);
          };
          if (w.got) return take();
          const timer = setTimeout(take, Math.max(1, ms));
          w.wake = () => {
            clearTimeout(timer);
            take();
          };
        }),
      close: () => {
        set.delete(w);
        if (set.size === 0 && this.#watchers.get(lock) === set) this.#watchers.delete(lock);
      },
    };
  }

  say(t: Message['t'], k: string, n?: number): string {
    return JSON.stringify({ f: this.#id, t, k, ...(n === undefined ? {} : { n }) } satisfies Message);
  }

  #message(raw: Buffer): void {
    let m: Message;
    try {
      m = JSON.parse(raw.toString('utf8')) as Message;
    } catch {
      return;
    }
    if (typeof m?.k !== 'string') return;
    if (m.t === 'done') {
      for (const w of this.#watchers.get(m.k) ?? []) {
        w.got = m.n ? 'done' : 'none';
        w.wake?.();
      }
      return;
    }
    if (m.f === this.#id) return;
    if (m.t === 'inv') this.remote?.invalidate(m.k);
    else if (m.t === 'purge') this.remote?.purge(m.k);
  }

  close(): void {
    for (const set of this.#watchers.values()) for (const w of set) w.wake?.();
    this.#sub.disconnect();
  }
}
