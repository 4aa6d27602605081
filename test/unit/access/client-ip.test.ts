// The viewer's address for allowIps and AWS:SourceIp: the socket's peer with trustProxy false
// (X-Forwarded-For ignored), the left-most X-Forwarded-For entry with true, as many hops as a
// number says, or as far as the listed proxies vouch (proxy-addr rules); IPv4-mapped IPv6
// (`::ffff:a.b.c.d`) is read as the IPv4 address.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { clientIpResolver, directClientIp, type TrustProxy } from '../../../src/access/client-ip.js';

function req(remoteAddress: string | undefined, xff?: string): IncomingMessage {
  return { socket: { remoteAddress }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } } as unknown as IncomingMessage;
}
const ip = (trust: TrustProxy, remote: string | undefined, xff?: string): string => clientIpResolver(trust)(req(remote, xff));

const CHAIN = '10.1.2.3, 172.16.0.9, 192.168.1.1';

test('trustProxy false: the socket peer, X-Forwarded-For ignored', () => {
  assert.equal(ip(false, '127.0.0.1'), '127.0.0.1');
  assert.equal(ip(false, '127.0.0.1', '10.1.2.3'), '127.0.0.1');
  assert.equal(ip(false, '203.0.113.9', CHAIN), '203.0.113.9');
  assert.equal(directClientIp(req('127.0.0.1', '10.1.2.3')), '127.0.0.1');
  assert.equal(directClientIp(req(undefined)), '', 'a closed socket has no address');
});

test('trustProxy true: every hop is trusted, the left-most address is the viewer', () => {
  assert.equal(ip(true, '127.0.0.1', '10.1.2.3'), '10.1.2.3');
  assert.equal(ip(true, '127.0.0.1', CHAIN), '10.1.2.3');
  assert.equal(ip(true, '127.0.0.1', '10.1.2.3,192.168.1.1'), '10.1.2.3', 'no space after the comma');
  assert.equal(ip(true, '127.0.0.1'), '127.0.0.1', 'no header: the peer');
});

test('trustProxy as a number of hops', () => {
  assert.equal(ip(1, '127.0.0.1', CHAIN), '192.168.1.1', 'one hop: the peer vouches for the right-most entry only');
  assert.equal(ip(2, '127.0.0.1', CHAIN), '172.16.0.9');
  assert.equal(ip(3, '127.0.0.1', CHAIN), '10.1.2.3');
  assert.equal(ip(10, '127.0.0.1', CHAIN), '10.1.2.3', 'more hops than entries: the left-most');
  assert.equal(ip(1, '127.0.0.1'), '127.0.0.1', 'no header: the peer');
});

test('trustProxy as a list of trusted proxies (addresses and CIDRs)', () => {
  assert.equal(ip(['127.0.0.1'], '127.0.0.1', '10.1.2.3'), '10.1.2.3');
  assert.equal(ip(['127.0.0.1'], '127.0.0.1', CHAIN), '192.168.1.1', '192.168.1.1 is not a trusted proxy: it is the viewer');
  assert.equal(ip(['127.0.0.0/8', '192.168.0.0/16'], '127.0.0.1', CHAIN), '172.16.0.9');
  assert.equal(ip(['127.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12'], '127.0.0.1', CHAIN), '10.1.2.3');
  assert.equal(ip(['10.0.0.0/8'], '127.0.0.1', '10.1.2.3'), '127.0.0.1', 'an untrusted peer: its X-Forwarded-For is ignored');
  assert.equal(ip(['::1'], '::1', '2001:db8::5'), '2001:db8::5', 'IPv6 proxies');
});

test('::ffff: IPv4-mapped addresses are read as IPv4', () => {
  assert.equal(ip(false, '::ffff:127.0.0.1'), '127.0.0.1');
  assert.equal(ip(false, '::ffff:10.1.2.3', '192.0.2.1'), '10.1.2.3');
  assert.equal(ip(true, '::ffff:127.0.0.1', '::ffff:10.1.2.3'), '10.1.2.3', 'in X-Forwarded-For too');
  assert.equal(ip(['127.0.0.1'], '::ffff:127.0.0.1', '10.1.2.3'), '10.1.2.3', 'a mapped peer matches an IPv4 trusted proxy');
  assert.equal(ip(false, '::1'), '::1', 'plain IPv6 is left alone');
  assert.equal(ip(false, '2001:db8::ffff:1'), '2001:db8::ffff:1');
  assert.equal(ip(false, '::ffff:7f00:1'), '::ffff:7f00:1', 'only the dotted form is rewritten');
});
