// README "Running a fleet": the routing-by-object examples under deploy/, read as files and
// checked against each other and the proxy's defaults — the nginx site (also run for real by
// test/e2e/fleet-consistent-hash.test.ts), the ingress-nginx overlay of the Kustomize manifests,
// and the Envoy bootstrap (no envoy binary is installable here: its structure and its hash key
// rewrite are checked, not run).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfigText } from '../../../src/config/load.js';
import { consistentHashSite, CONSISTENT_HASH_CONF } from '../../support/nginx.js';
import { repoRoot } from '../../support/paths.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEPLOY = join(repoRoot, 'deploy');
/** The proxy's defaults: server.port and server.admin.port of a config that sets neither. */
const DEFAULTS = loadConfigText('proxies: [{ path: /p/, upstream: { bucket: my-bucket, region: us-east-1 }, credentials: { accessKeyId: A, secretAccessKey: S } }]\n', 'defaults.yaml', { env: {} }).config.server;
/** Seconds origin-signer keeps an idle viewer connection (the listener's keepAliveTimeout). */
const SERVER_KEEPALIVE_S = Number(/keepAliveTimeout:\s*([\d_]+)/.exec(readFileSync(join(repoRoot, 'src', 'server', 'app.ts'), 'utf8'))![1]!.replace(/_/g, '')) / 1000;
const seconds = (v: string): number => Number(/^(\d+)s$/.exec(v)?.[1] ?? NaN);

test('nginx: hash $uri consistent in the upstream proxy_pass uses; the path forwarded as sent; keep-alive and forwarded headers', () => {
  const text = readFileSync(CONSISTENT_HASH_CONF, 'utf8');
  const conf = text.replace(/#[^\n]*/g, ''); // directives only
  const upstream = /upstream\s+(\S+)\s*\{([^}]*)\}/.exec(conf);
  assert.ok(upstream, 'an upstream block');
  const [, name, body] = upstream;
  assert.match(body!, /^\s*hash \$uri consistent;$/m, 'hash $uri consistent (the path without the query, normalised)');
  assert.match(body!, /^\s*keepalive \d+;$/m, 'kept-alive connections to the replicas');
  const idle = seconds(/^\s*keepalive_timeout (\S+);$/m.exec(body!)?.[1] ?? '60s');
  assert.ok(idle < SERVER_KEEPALIVE_S, `nginx drops idle connections (${idle} s) before origin-signer does (${SERVER_KEEPALIVE_S} s)`);
  const proxyPass = [...conf.matchAll(/proxy_pass\s+([^;]+);/g)].map((m) => m[1]);
  assert.deepEqual(proxyPass, [`http://${name}`], 'proxy_pass to the upstream with no URI part: the path and query go on as the viewer sent them');
  assert.match(conf, /proxy_http_version 1\.1;/);
  assert.match(conf, /proxy_set_header Connection "";/);
  assert.match(conf, /proxy_set_header Host \$\w+;/);
  assert.match(conf, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  assert.match(conf, /client_max_body_size 0;/, 'uploads of any size');

  // The test's substitution: the replica lines and the listen address, nothing else.
  const site = consistentHashSite([41001, 41002, 41003], 42000, text);
  assert.deepEqual([...site.matchAll(/^\s*server (\S+:\d+)/gm)].map((m) => m[1]), ['127.0.0.1:41001', '127.0.0.1:41002', '127.0.0.1:41003']);
  assert.match(site, /^\s*listen 127\.0\.0\.1:42000;$/m);
  assert.equal(site.replace(/^\s*(server|listen) [^\n]*\n/gm, ''), text.replace(/^\s*(server|listen) [^\n]*\n/gm, ''), 'the rest of the file unchanged');
  assert.throws(() => consistentHashSite([1], 2, text.replace('# END replicas', '')), /BEGIN replicas/);
});

test('ingress-nginx overlay: the base plus an Ingress hashing $uri onto the base Service\'s pods', () => {
  const dir = join(DEPLOY, 'kubernetes', 'ingress-nginx');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const docs = files.flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => ({ file: f, doc: d.toJS() as Obj })));
  const kustomization = docs.find((d) => d.doc.kind === 'Kustomization');
  assert.ok(kustomization);
  const resources = (kustomization.doc.resources as string[]).map((r) => posix.normalize(r));
  assert.ok(resources.includes('..') || resources.includes('../'), 'it builds on the base');
  assert.deepEqual(resources.filter((r) => !r.startsWith('..')).sort(), files.filter((f) => f !== kustomization.file), 'it lists its own manifests');

  const ingress = docs.find((d) => d.doc.kind === 'Ingress')!.doc;
  assert.equal(ingress.apiVersion, 'networking.k8s.io/v1');
  const annotations = ingress.metadata.annotations as Record<string, string>;
  assert.equal(annotations['nginx.ingress.kubernetes.io/upstream-hash-by'], '$uri');
  assert.notEqual(annotations['nginx.ingress.kubernetes.io/service-upstream'], 'true', 'per-pod endpoints, not the ClusterIP');
  assert.equal(annotations['nginx.ingress.kubernetes.io/rewrite-target'], undefined, 'the path goes on as sent');
  assert.equal(annotations['nginx.ingress.kubernetes.io/proxy-body-size'], '0');

  const service = parse(readFileSync(join(DEPLOY, 'kubernetes', 'service.yaml'), 'utf8')) as Obj;
  const backends = (ingress.spec.rules as Obj[]).flatMap((r) => (r.http.paths as Obj[]).map((p) => p.backend.service as Obj));
  assert.ok(backends.length > 0);
  for (const b of backends) {
    assert.equal(b.name, service.metadata.name, 'the base Service');
    assert.ok((service.spec.ports as Obj[]).some((p) => p.name === b.port.name && p.name === 'http'), 'its http port');
  }
});

test('Envoy: ring hash on :path without the query, to the replicas\' http port, /readyz checked on the admin port', () => {
  const boot = parse(readFileSync(join(DEPLOY, 'envoy', 'ring-hash.yaml'), 'utf8')) as Obj;
  const cluster = (boot.static_resources.clusters as Obj[]).find((c) => c.lb_policy === 'RING_HASH');
  assert.ok(cluster, 'a RING_HASH cluster');
  const hcm = boot.static_resources.listeners[0].filter_chains[0].filters[0].typed_config as Obj;
  assert.match(hcm['@type'], /HttpConnectionManager$/);
  assert.equal(hcm.use_remote_address, true, 'the viewer\'s address appended to X-Forwarded-For');
  assert.equal(hcm.normalize_path ?? false, false, 'the path forwarded as sent');
  assert.equal(hcm.merge_slashes ?? false, false, 'keys with // forwarded as sent');
  const routes = (hcm.route_config.virtual_hosts as Obj[]).flatMap((v) => v.routes as Obj[]);
  assert.ok(routes.length > 0);
  for (const r of routes) {
    assert.equal(r.route.cluster, cluster.name);
    assert.equal(r.route.timeout, '0s', 'no whole-answer limit: large objects stream as long as they need');
    const policies = r.route.hash_policy as Obj[];
    assert.equal(policies.length, 1);
    const h = policies[0]!.header as Obj;
    assert.equal(h.header_name, ':path');
    // RE2 and JavaScript agree on this pattern: the key is the path up to the first '?'.
    const re = new RegExp(h.regex_rewrite.pattern.regex, 'g');
    const key = (path: string): string => path.replace(re, h.regex_rewrite.substitution);
    assert.equal(key('/vod/a%20b.mp4?X-Amz-Signature=1&v=2'), '/vod/a%20b.mp4');
    assert.equal(key('/vod/a%3Fb.mp4?x=?'), '/vod/a%3Fb.mp4');
    assert.equal(key('/vod//x.ts'), '/vod//x.ts');
  }
  const endpoints = (cluster.load_assignment.endpoints as Obj[]).flatMap((e) => e.lb_endpoints as Obj[]);
  assert.ok(endpoints.length > 0);
  for (const e of endpoints) {
    assert.equal(e.endpoint.address.socket_address.port_value, DEFAULTS.port, 'the replicas\' server.port');
    assert.equal(e.endpoint.health_check_config.port_value, DEFAULTS.admin.port, 'health checks on server.admin.port');
  }
  assert.deepEqual((cluster.health_checks as Obj[]).map((hc) => hc.http_health_check.path), ['/readyz']);
  const idle = seconds(cluster.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].common_http_protocol_options.idle_timeout);
  assert.ok(idle < SERVER_KEEPALIVE_S, `Envoy drops idle connections (${idle} s) before origin-signer does (${SERVER_KEEPALIVE_S} s)`);
});
