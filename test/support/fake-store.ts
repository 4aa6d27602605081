import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

/** A store that answers as `handler` does (a broken one, most often), on port 0 of loopback; closed after the test. Returns its port. */
export async function fakeStore(t: TestContext, handler: RequestListener): Promise<number> {
  const store = createServer(handler);
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    store.closeAllConnections();
    store.close();
  });
  return (store.address() as AddressInfo).port;
}
