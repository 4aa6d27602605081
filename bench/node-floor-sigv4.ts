// The Node floor plus SigV4: the bare floor (floor-server.ts) signing each request with aws4, the
// library a hand-written Node signing proxy would reach for (issue #17's "naive Node proxy": node:http
// + undici + SigV4). What it costs over the bare floor is what signing alone costs, done plainly;
// origin-signer's cost over it is routing, rules, the access log, metrics and retries.
// Usage: node dist/bench/node-floor-sigv4.js <listen port> <origin port> (the bench's credentials)
import aws4 from 'aws4';
import { floorServer } from './floor-server.js';
import { CREDS } from './creds.js';

const [listenPort, originPort] = process.argv.slice(2).map(Number);
const credentials = { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey };
floorServer(originPort!, (host, path) => {
  const signed = aws4.sign({ host, path, method: 'GET', service: 's3', region: CREDS.region, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, credentials);
  // aws4 sets Host (and X-Amz-Date, Authorization) itself.
  return signed.headers as Record<string, string>;
}).listen(listenPort, '127.0.0.1');
