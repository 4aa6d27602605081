// The Node floor for the proxy benchmark: node:http in front of an undici Pool, forwarding GETs
// with nothing else — no routing, key rules, signing, access log or metrics. What it costs per
// request is what any Node proxy pays before doing its own work; origin-signer's figures minus
// these are what its features cost. Usage: node dist/bench/node-floor.js <listen port> <origin port>
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [listenPort, originPort] = process.argv.slice(2).map(Number);
const host = `127.0.0.1:${originPort}`;
const pool = new Pool(`http://${host}`, { connections: 128 });
const PASSED = ['content-type', 'content-length', 'etag', 'last-modified', 'accept-ranges'];

createServer({ highWaterMark: 256 * 1024 }, (req, res) => {
  pool.dispatch(
    { method: 'GET', path: req.url ?? '/', headers: { host } },
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
}).listen(listenPort, '127.0.0.1');
