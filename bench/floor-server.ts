// The Node floors' one server: node:http in front of an undici Pool, forwarding GETs with nothing
// else — no routing, key rules, log or metrics. `headersFor` adds what a floor adds to each
// upstream request (the SigV4 floor: its signature); the bare floor adds nothing but Host.
import { createServer, type Server } from 'node:http';
import { Pool } from 'undici';

const PASSED = ['content-type', 'content-length', 'etag', 'last-modified', 'accept-ranges'];

export function floorServer(originPort: number, headersFor: (host: string, path: string) => Record<string, string> = (host) => ({ host })): Server {
  const host = `127.0.0.1:${originPort}`;
  const pool = new Pool(`http://${host}`, { connections: 128 });
  return createServer({ highWaterMark: 256 * 1024 }, (req, res) => {
    const path = req.url ?? '/';
    pool.dispatch(
      { method: 'GET', path, headers: headersFor(host, path) },
      {
        // undici tells its handler APIs apart by this method (lib/handler/unwrap-handler.js).
        onRequestStart() {},
        onResponseStart(_c, status, headers) {
          const out: Record<string, string | string[]> = {};
          for (const name of PASSED) {
            const v = headers[name];
            if (v !== undefined) out[name] = v;
          }
          res.writeHead(status, out);
        },
        onResponseData(controller, chunk) {
          if (!res.write(chunk)) {
            controller.pause();
            res.once('drain', () => controller.resume());
          }
        },
        onResponseEnd() {
          res.end();
        },
        onResponseError(_c, err) {
          res.destroy(err);
        },
      },
    );
  });
}
