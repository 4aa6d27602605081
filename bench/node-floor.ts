// The Node floor for the proxy benchmark: node:http in front of an undici Pool, forwarding GETs
// with nothing else — no routing, key rules, signing, access log or metrics. What it costs per
// request is what any Node proxy pays before doing its own work; origin-signer's figures minus
// these are what its features cost. Usage: node dist/bench/node-floor.js <listen port> <origin port>
import { floorServer } from './floor-server.js';

const [listenPort, originPort] = process.argv.slice(2).map(Number);
floorServer(originPort!).listen(listenPort, '127.0.0.1');
