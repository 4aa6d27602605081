// README "Kubernetes": every manifest in deploy/kubernetes/ parsed (multi-document safe) and
// checked against the others and against the proxy's own config validation: the kustomization
// lists every file, the probes hit /readyz and /healthz on the admin port, the container ports are
// the config's ports, the ConfigMap is mounted where the container args look for it, the grace
// period outlasts shutdownTimeout plus the preStop pause, the pod runs as non-root, the Service,
// HPA and PDB point at the Deployment's pods, the Service exposes the admin port as `metrics`, and
// the optional monitoring/ overlay adds a ServiceMonitor scraping /metrics there.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { loadConfigText } from '../../../src/config/load.js';
import { repoRoot } from '../../support/paths.js';

const DIR = join(repoRoot, 'deploy', 'kubernetes');

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Manifest {
  readonly file: string;
  readonly doc: Obj;
}

const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const MANIFESTS: Manifest[] = FILES.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).flatMap((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
    const doc = d.toJS() as Obj | null;
    return doc === null ? [] : [{ file, doc }];
  }),
);

const ofKind = (kind: string): Manifest[] => MANIFESTS.filter((m) => m.doc.kind === kind);
function one(kind: string): Obj {
  const found = ofKind(kind);
  assert.equal(found.length, 1, `exactly one ${kind}`);
  return found[0]!.doc;
}
const subset = (labels: Obj | undefined, of: Obj | undefined): boolean => !!labels && Object.keys(labels).length > 0 && Object.entries(labels).every(([k, v]) => of?.[k] === v);

const deployment = one('Deployment');
const pod = deployment.spec.template.spec as Obj;
const containers = pod.containers as Obj[];
const container = containers.find((c) => c.name === 'origin-signer') ?? containers[0]!;
const configMap = one('ConfigMap');
const configText = configMap.data?.['config.yaml'] as string;
const loaded = loadConfigText(configText, 'deploy/kubernetes/configmap.yaml#config.yaml', { env: {} });
const portNamed = (name: string): Obj | undefined => (container.ports as Obj[]).find((p) => p.name === name);

test('every manifest parses and names itself; the kustomization lists every file', () => {
  assert.ok(FILES.length >= 7, FILES.join(' '));
  for (const { file, doc } of MANIFESTS) {
    assert.equal(typeof doc.apiVersion, 'string', `${file}: apiVersion`);
    assert.equal(typeof doc.kind, 'string', `${file}: kind`);
    // A Kustomization is kustomize's own file, not an API object: it needs no metadata.name.
    if (doc.kind !== 'Kustomization') assert.ok(typeof doc.metadata?.name === 'string' && doc.metadata.name !== '', `${file}: metadata.name`);
  }
  const kustomization = one('Kustomization');
  const listed = (kustomization.resources as string[]).map((r) => posix.normalize(r)).sort();
  const kfile = ofKind('Kustomization')[0]!.file;
  assert.deepEqual(listed, FILES.filter((f) => f !== kfile), 'the kustomization lists every manifest, and nothing else');
  const names = MANIFESTS.map((m) => `${m.doc.kind}/${m.doc.metadata?.name}`);
  assert.equal(new Set(names).size, names.length, 'no two objects of a kind share a name');
});

test('Deployment: probes on the admin port (/readyz, /healthz), ports from the config, the ConfigMap where the args read it', () => {
  assert.ok(subset(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels), 'the selector matches the pod labels');
  const admin = portNamed('admin');
  const http = portNamed('http');
  assert.ok(admin && http, 'ports named http and admin');
  assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
  assert.equal(container.readinessProbe?.httpGet?.port, 'admin');
  assert.equal(container.livenessProbe?.httpGet?.path, '/healthz');
  assert.equal(container.livenessProbe?.httpGet?.port, 'admin');
  if (container.startupProbe) assert.deepEqual([container.startupProbe.httpGet?.path, container.startupProbe.httpGet?.port], ['/healthz', 'admin']);

  const server = loaded.config.server;
  assert.equal(http.containerPort, server.port, 'the http port is server.port');
  assert.equal(admin.containerPort, server.admin.port, 'the admin port is server.admin.port');
  const annotations = deployment.spec.template.metadata.annotations ?? {};
  if (annotations['prometheus.io/port'] !== undefined) assert.equal(Number(annotations['prometheus.io/port']), server.admin.port);
  if (annotations['prometheus.io/path'] !== undefined) assert.equal(annotations['prometheus.io/path'], '/metrics');

  // --config FILE: FILE is the ConfigMap's config.yaml through a volume mount.
  const args = [...(container.command ?? []), ...(container.args ?? [])] as string[];
  const configPath = args[args.indexOf('--config') + 1];
  assert.ok(args.includes('--config') && configPath, `args ${args.join(' ')}`);
  const volume = (pod.volumes as Obj[]).find((v) => v.configMap?.name === configMap.metadata.name);
  assert.ok(volume, 'a volume from the ConfigMap');
  const mount = (container.volumeMounts as Obj[]).find((m) => m.name === volume.name);
  assert.ok(mount, 'mounted into the container');
  const item = (volume.configMap.items as Obj[] | undefined)?.find((i) => i.key === 'config.yaml');
  const fileInMount = mount.subPath ? '' : item ? item.path : 'config.yaml';
  assert.equal(mount.subPath ? mount.mountPath : posix.join(mount.mountPath, fileInMount), configPath, 'the args read the mounted config.yaml');
  assert.ok(!mount.subPath, 'no subPath: a subPath mount never sees ConfigMap updates (watchConfig)');
  assert.equal(loaded.config.server.watchConfig, true);
});

test('Deployment: grace period above shutdownTimeout + preStop, non-root, read-only root with a writable /tmp', () => {
  const preStop = container.lifecycle?.preStop;
  const pause = preStop?.sleep?.seconds ?? Number(/sleep\s+(\d+)/.exec((preStop?.exec?.command ?? []).join(' '))?.[1] ?? 0);
  assert.ok(pause > 0, 'a preStop pause');
  const grace = pod.terminationGracePeriodSeconds as number;
  assert.ok(grace > loaded.config.server.shutdownTimeout + pause, `terminationGracePeriodSeconds ${grace} > shutdownTimeout ${loaded.config.server.shutdownTimeout} + preStop ${pause}`);
  const nonRoot = container.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
  assert.equal(nonRoot, true, 'runAsNonRoot');
  const uid = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
  if (uid !== undefined) assert.notEqual(uid, 0);
  if (container.securityContext?.readOnlyRootFilesystem) {
    const tmp = (container.volumeMounts as Obj[]).find((m) => m.mountPath === '/tmp');
    assert.ok(tmp, 'a writable /tmp for spooled uploads');
    assert.ok((pod.volumes as Obj[]).some((v) => v.name === tmp.name && v.emptyDir), '/tmp is an emptyDir');
    for (const b of loaded.config.proxies) if (b.spool.dir !== undefined) assert.ok(b.spool.dir.startsWith('/tmp'), `spool.dir ${b.spool.dir} is writable`);
  }
  const sa = pod.serviceAccountName as string | undefined;
  if (sa) assert.ok(ofKind('ServiceAccount').some((m) => m.doc.metadata.name === sa), `ServiceAccount ${sa} is in the manifests`);
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  assert.match(String(container.image), new RegExp(`:${version.replace(/\./g, '\\.')}$`), 'the image tag is the package version');
});

test('Service, HPA and PDB point at the Deployment\'s pods', () => {
  const podLabels = deployment.spec.template.metadata.labels as Obj;
  const service = one('Service');
  assert.ok(subset(service.spec.selector, podLabels), 'the Service selects the pods');
  const ports = service.spec.ports as Obj[];
  const targets = (name: string) => (p: Obj) => p.targetPort === name || p.targetPort === portNamed(name)!.containerPort;
  assert.deepEqual(ports.map((p) => p.name).sort(), ['http', 'metrics']);
  assert.ok(targets('http')(ports.find((p) => p.name === 'http')!), 'Service port http targets the http port');
  assert.ok(targets('admin')(ports.find((p) => p.name === 'metrics')!), 'Service port metrics targets the admin port (/metrics)');

  const hpa = one('HorizontalPodAutoscaler');
  assert.deepEqual(
    [hpa.spec.scaleTargetRef.apiVersion, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name],
    [deployment.apiVersion, 'Deployment', deployment.metadata.name],
  );
  assert.ok(hpa.spec.minReplicas >= 1 && hpa.spec.maxReplicas >= hpa.spec.minReplicas);

  const pdb = one('PodDisruptionBudget');
  assert.ok(subset(pdb.spec.selector.matchLabels, podLabels), 'the PDB selects the pods');
  if (pdb.spec.minAvailable !== undefined && typeof pdb.spec.minAvailable === 'number') {
    assert.ok(pdb.spec.minAvailable < hpa.spec.minReplicas, 'a node drain can still evict a pod at the minimum replica count');
  }
});

test('the ConfigMap\'s config.yaml passes the proxy\'s validation and listens on every interface', () => {
  assert.equal(typeof configText, 'string');
  const c = loaded.config;
  assert.equal(c.server.host, '0.0.0.0');
  assert.equal(c.server.admin.host, '0.0.0.0', 'the kubelet probes come from outside the pod');
  assert.equal(c.server.workers, 1, 'one process per pod (scale with replicas)');
  assert.ok(c.proxies.length >= 1);
  if (c.readiness.probe !== undefined) assert.ok(c.proxies.some((b) => c.readiness.probe!.startsWith(b.path)));
  // An invalid edit would be caught the same way (so this check can fail).
  assert.throws(() => loadConfigText(configText.replace('host: 0.0.0.0', 'host: 0.0.0.0\n  bogus: 1'), 'broken.yaml', { env: {} }), /server\.bogus: unknown key/);
});

test('monitoring/: the base plus a ServiceMonitor scraping /metrics on the Service\'s metrics port', () => {
  const dir = join(DIR, 'monitoring');
  const docs = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => ({ file: f, doc: d.toJS() as Obj })));
  const kustomization = docs.find((d) => d.doc.kind === 'Kustomization');
  assert.ok(kustomization, 'monitoring/ is a kustomization');
  const resources = (kustomization.doc.resources as string[]).map((r) => posix.normalize(r));
  assert.ok(resources.includes('..') || resources.includes('../'), 'it builds on the base');
  assert.deepEqual(
    resources.filter((r) => !r.startsWith('..')).sort(),
    docs.filter((d) => d !== kustomization).map((d) => d.file).sort(),
    'it lists its own manifests',
  );
  assert.ok(!MANIFESTS.some((m) => m.doc.kind === 'ServiceMonitor'), 'not in the base: its CRD exists only with the Prometheus Operator');
  const monitors = docs.filter((d) => d.doc.kind === 'ServiceMonitor').map((d) => d.doc);
  assert.equal(monitors.length, 1);
  const sm = monitors[0]!;
  assert.equal(sm.apiVersion, 'monitoring.coreos.com/v1');
  assert.ok(typeof sm.metadata?.name === 'string' && sm.metadata.name !== '');
  const service = one('Service');
  assert.ok(subset(sm.spec.selector.matchLabels, service.metadata.labels), 'it selects the Service by its labels');
  const endpoints = sm.spec.endpoints as Obj[];
  assert.equal(endpoints.length, 1);
  assert.equal(endpoints[0]!.port, 'metrics', 'by the Service port name');
  assert.ok((service.spec.ports as Obj[]).some((p) => p.name === 'metrics'));
  assert.equal(endpoints[0]!.path ?? '/metrics', '/metrics');
});
