// A scripted HTTP relay in front of an upstream (the strict origin): each request takes the next
// action from `script` (then `pass`): forward it and relay the answer, forward it but answer with
// another status and S3 error XML instead (a 503 SlowDown after the store saw the request), or
// reset the connection before any answer. Requests are forwarded byte for byte (Host included),
// so the upstream verifies the proxy's signatures as if it were reached directly.
import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export type RelayAction =
  | 'pass'
  /** Drops the connection as soon as the request line and headers arrived, before any answer. */
  | 'reset'
  /** Forwards the request (the upstream sees and answers it), then answers this error instead. */
  | { readonly replace: number; readonly code: string; readonly message?: string };

export interface RelayedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly action: RelayAction;
  /** What the viewer-side of the relay answered (0 for a reset). */
  status: number;
}

export interface Relay {
  readonly url: string;
  readonly port: number;
  readonly seen: RelayedRequest[];
  /** Actions for the next requests, consumed one per request. */
  readonly script: RelayAction[];
  /** Headers added to every relayed answer (not to replaced ones). */
  readonly addHeaders: Record<string, string>;
  close(): Promise<void>;
}

export const SLOW_DOWN: RelayAction = { replace: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };

export const s3ErrorXml = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;

export async function startRelay(t: TestContext, upstreamPort: number): Promise<Relay> {
  const seen: RelayedRequest[] = [];
  const script: RelayAction[] = [];
  const addHeaders: Record<string, string> = {};
  const server: Server = createServer((req, res) => {
    const action = script.shift() ?? 'pass';
    const record: RelayedRequest = { method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, action, status: 0 };
    seen.push(record);
    if (action === 'reset') {
      req.socket.destroy();
      return;
    }
    const up = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent: false }, (ures) => {
      if (action === 'pass') {
        record.status = ures.statusCode ?? 0;
        res.writeHead(ures.statusCode ?? 502, { ...ures.headers, ...addHeaders });
        ures.pipe(res);
        return;
      }
      ures.resume();
      ures.once('end', () => {
        const xml = s3ErrorXml(action.code, action.message ?? action.code);
        record.status = action.replace;
        res.writeHead(action.replace, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), 'x-amz-request-id': 'RELAYREPLACED' });
        res.end(req.method === 'HEAD' ? undefined : xml);
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const relay: Relay = {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    script,
    addHeaders,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  t.after(() => relay.close());
  return relay;
}
