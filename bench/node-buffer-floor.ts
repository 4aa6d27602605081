// The Node floor for cache hits: node:http answering every GET with a Buffer it holds in memory —
// what any Node cache pays to serve a hit, with nothing else (no routing, key or freshness rules,
// access log, metrics). An object is read from `root` (the origin's folder) the first time it is
// asked for and kept; every later request for it is a hit. Headers as a cache replays them.
// Usage: node dist/bench/node-buffer-floor.js <listen port> <root folder>
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

const [listenPort, root] = process.argv.slice(2);
type Held = { body: Buffer; headers: Record<string, string | number> };
const held = new Map<string, Held>();

async function load(path: string): Promise<Held | undefined> {
  const file = join(root!, normalize(path));
  try {
    const [body, st] = await Promise.all([readFile(file), stat(file)]);
    const headers = {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      etag: `"${st.mtimeMs.toString(16)}-${body.length.toString(16)}"`,
      'last-modified': st.mtime.toUTCString(),
      'x-cache': 'HIT',
    };
    return { body, headers };
  } catch {
    return undefined;
  }
}

createServer({ highWaterMark: 256 * 1024 }, (req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  const hit = held.get(path);
  if (hit) {
    res.writeHead(200, hit.headers).end(hit.body);
    return;
  }
  void load(path).then((h) => {
    if (!h) return void res.writeHead(404, { 'content-length': 0 }).end();
    held.set(path, h);
    res.writeHead(200, h.headers).end(h.body);
  });
}).listen(Number(listenPort), '127.0.0.1');
