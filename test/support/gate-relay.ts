// A TCP relay between the proxy and the strict origin that can hold the origin's answers part-way,
// so the cache e2e tests catch a fill in progress (its head and first bytes out, the rest not yet
// sent) without sleeping.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { TestContext } from 'node:test';

export interface Gate {
  readonly port: number;
  /**
   * From now on, lets `bytes` more bytes of the origin's answers through, then holds the rest.
   * With `afterHead`, the bytes are counted from the end of the next response head, on that
   * answer's connection; the other connections are held meanwhile (a fill's next slice, say),
   * unless `alone`: then only that answer is held and the others pass.
   */
  hold(bytes: number, o?: { afterHead?: boolean; alone?: boolean }): void;
  /** Sends what was held and lets everything through again. */
  release(): void;
  /** Bytes held back so far. */
  held(): number;
  /** Connections the proxy still holds open to the relay. */
  open(): number;
}

interface Conn {
  readonly proxySide: Socket;
  readonly originSide: Socket;
  pending: Buffer[];
  /** The origin closed while bytes were held: the proxy side is closed once they are sent. */
  closed: boolean;
  /** The last bytes of the previous chunk, to find a head's blank line across chunks. */
  tail: string;
}

/**
 * A TCP relay in front of the origin whose origin→proxy bytes can be held back after a given
 * count: the store's answer stops part-way (its head and first bytes delivered), as from a slow
 * store, until the test releases it. A connection the origin closes or resets is closed towards
 * the proxy too, after whatever was held.
 */
export async function gateRelay(t: TestContext, targetPort: number): Promise<Gate> {
  /** Armed: how many more bytes may pass (on `owner` only, once set, with afterHead). */
  let budget: number | undefined;
  let afterHead = false;
  let alone = false;
  let owner: Conn | undefined;
  let heldBytes = 0;
  const conns = new Set<Conn>();
  /** How much of a chunk from `c` may pass now, taken from the budget (the head itself is free). */
  const take = (c: Conn, chunk: Buffer): number => {
    if (c.pending.length > 0) return 0;
    if (budget === undefined) return chunk.length;
    let free = 0;
    if (afterHead) {
      if (owner === undefined) {
        const text = c.tail + chunk.toString('latin1');
        const at = text.indexOf('\r\n\r\n');
        if (at < 0) {
          c.tail = text.slice(-3);
          return chunk.length;
        }
        owner = c;
        free = at + 4 - c.tail.length;
      } else if (c !== owner) return alone ? chunk.length : 0;
    }
    const n = Math.min(chunk.length, free + budget);
    budget -= n - free;
    return n;
  };
  const server = createServer((proxySide) => {
    const originSide = connect(targetPort, '127.0.0.1');
    const c: Conn = { proxySide, originSide, pending: [], closed: false, tail: '' };
    conns.add(c);
    const close = (): void => {
      if (c.pending.length > 0) {
        c.closed = true;
        return;
      }
      conns.delete(c);
      proxySide.destroy();
      originSide.destroy();
    };
    originSide.on('data', (chunk: Buffer) => {
      const n = take(c, chunk);
      if (n > 0) proxySide.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (n < chunk.length) {
        c.pending.push(chunk.subarray(n));
        heldBytes += chunk.length - n;
        originSide.pause();
      }
    });
    originSide.on('close', close);
    originSide.on('error', close);
    proxySide.on('error', () => originSide.destroy());
    proxySide.on('close', () => {
      if (!c.closed) originSide.destroy();
    });
    proxySide.pipe(originSide);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const c of conns) {
      c.proxySide.destroy();
      c.originSide.destroy();
    }
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: (server.address() as AddressInfo).port,
    hold(bytes, o = {}) {
      budget = bytes;
      afterHead = o.afterHead === true;
      alone = o.alone === true;
      owner = undefined;
      for (const c of conns) c.tail = '';
    },
    open: () => [...conns].filter((c) => !c.proxySide.destroyed).length,
    release() {
      budget = undefined;
      owner = undefined;
      for (const c of conns) {
        const out = c.pending;
        c.pending = [];
        for (const b of out) c.proxySide.write(b);
        if (c.closed) {
          conns.delete(c);
          // After the held bytes are handed to the socket: a cut, as the origin cut it.
          c.proxySide.end(() => c.proxySide.destroy());
        } else c.originSide.resume();
      }
    },
    held: () => heldBytes,
  };
}
