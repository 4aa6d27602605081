// Issue #21, "Helm chart": deploy/helm/origin-signer.
//
// Always (no helm needed): the templates reference only values that values.yaml has, and every
// value is used; and the chart's renders in test/fixtures/helm/ — made by helm
// (scripts/helm/render.sh) from the default values and from ci/fleet-values.yaml — are checked
// as the Kubernetes manifests are: the same hardened pod security as deploy/kubernetes/, probes on
// /readyz and /healthz on the admin port, container ports that are the config's ports (the app's
// defaults, 8080 and 9090, by default), the ConfigMap's config passing the proxy's own validation
// with every ${VAR} it uses given by the container's env and every { file: } under a mounted
// Secret, the disk cache's volume at cache.disk.path, selectors that never pick the Redis pod.
//
// Where helm is installed (scripts/helm/install.sh puts it in .helm/; .ci/run does): `helm lint
// --strict` with both value sets, `helm template` giving exactly the committed renders (so they
// cannot go stale), and the switches the renders do not show (ephemeral cache volume, fixed
// replicas, roll on config change, the chart's own refusals). Without helm that part is skipped
// with the reason, except under CI=true, where it fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, posix } from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfigText } from '../../../src/config/load.js';
import { fixture, repoRoot } from '../../support/paths.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHART = join(repoRoot, 'deploy', 'helm', 'origin-signer');
const VALUES = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Obj;
const TEMPLATES = readdirSync(join(CHART, 'templates')).map((f) => ({ file: f, text: readFileSync(join(CHART, 'templates', f), 'utf8') }));
/** The proxy's defaults: server.port and server.admin.port of a config that sets neither. */
const APP_DEFAULTS = loadConfigText('proxies: [{ path: /p/, upstream: { bucket: my-bucket, region: us-east-1 }, credentials: { accessKeyId: A, secretAccessKey: S } }]\n', 'defaults.yaml', { env: {} }).config.server;

const docsOf = (text: string): Obj[] => parseAllDocuments(text).flatMap((d) => {
  if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('; '));
  const doc = d.toJS() as Obj | null;
  return doc === null ? [] : [doc];
});

interface Render {
  readonly name: string;
  /** helm template's arguments after the chart. */
  readonly args: readonly string[];
  readonly docs: Obj[];
}
const RENDERS: Render[] = [
  { name: 'default', args: [] },
  { name: 'fleet', args: ['-f', join(CHART, 'ci', 'fleet-values.yaml')] },
].map((r) => ({ ...r, docs: docsOf(readFileSync(fixture(`helm/${r.name}.yaml`), 'utf8')) }));

const KUSTOMIZE_DEPLOYMENT = parse(readFileSync(join(repoRoot, 'deploy', 'kubernetes', 'deployment.yaml'), 'utf8')) as Obj;

function leafPaths(v: unknown, at: string[] = []): string[][] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) return Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...at, k]));
  return [at];
}

test('Chart.yaml: a v2 application chart whose appVersion is the package\'s version', () => {
  const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Obj;
  assert.equal(chart.apiVersion, 'v2');
  assert.equal(chart.name, 'origin-signer');
  assert.equal(chart.type, 'application');
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(chart.appVersion, version, 'appVersion (the default image tag) is origin-signer\'s version');
  assert.equal(chart.dependencies, undefined, 'no dependency: helm template and lint need no network (Redis is the chart\'s own template)');
});

test('templates use only values that values.yaml has, and every value is used', () => {
  const refs = new Set<string>();
  for (const { file, text } of TEMPLATES) {
    for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      const path = m[1]!.slice(1).split('.');
      let v: unknown = VALUES;
      for (const [i, k] of path.entries()) {
        assert.ok(v !== null && typeof v === 'object' && k in (v as Obj), `${file}: .Values.${path.join('.')} — values.yaml has no ${path.slice(0, i + 1).join('.')}`);
        v = (v as Obj)[k];
      }
      refs.add(path.join('.'));
    }
  }
  // `config` is the proxy's file, passed whole; maps handed to toYaml are used by their prefix.
  const unused = leafPaths(VALUES)
    .filter((p) => p[0] !== 'config')
    .map((p) => p.join('.'))
    .filter((p) => ![...refs].some((r) => p === r || p.startsWith(`${r}.`) || r.startsWith(`${p}.`)));
  assert.deepEqual(unused, [], 'values no template reads');
});

for (const render of RENDERS) {
  const { docs } = render;
  const all = (kind: string): Obj[] => docs.filter((d) => d.kind === kind);
  const named = (kind: string, name: string): Obj => {
    const found = all(kind).filter((d) => d.metadata.name === name);
    assert.equal(found.length, 1, `one ${kind} ${name}`);
    return found[0]!;
  };
  const matches = (selector: Obj | undefined, labels: Obj | undefined): boolean => !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

  const proxyDeployment = named('Deployment', 'os-origin-signer');
  const pod = proxyDeployment.spec.template.spec as Obj;
  const podLabels = proxyDeployment.spec.template.metadata.labels as Obj;
  const container = (pod.containers as Obj[]).find((c) => c.name === 'origin-signer')!;
  const configMap = named('ConfigMap', 'os-origin-signer');
  const configText = configMap.data['config.yaml'] as string;
  const port = (name: string): number => (container.ports as Obj[]).find((p) => p.name === name)!.containerPort as number;
  const mountOf = (volumeName: string): Obj | undefined => (container.volumeMounts as Obj[]).find((m) => m.name === volumeName);

  /**
   * The ConfigMap's config as the pod would load it: each `{ file: }` under a Secret's mount read
   * from a stand-in folder, each `${VAR}` from the container's env (a dummy value each).
   */
  function loadAsThePodWould(): ReturnType<typeof loadConfigText> {
    const secretMounts = (pod.volumes as Obj[]).filter((v) => v.secret).map((v) => ({ dir: mountOf(v.name)!.mountPath as string, secret: v.secret.secretName as string }));
    const stand = mkdtempSync(join(tmpdir(), 'os-helm-secrets-'));
    let text = configText;
    for (const m of configText.matchAll(/file:\s*(\S+)/g)) {
      const file = m[1]!;
      const mount = secretMounts.find((s) => file.startsWith(`${s.dir}/`));
      assert.ok(mount, `${render.name}: { file: ${file} } is under a mounted Secret (${secretMounts.map((s) => s.dir).join(', ') || 'none'})`);
      const local = join(stand, mount.secret, posix.relative(mount.dir, file));
      mkdirSync(join(local, '..'), { recursive: true });
      writeFileSync(local, 'stand-in-secret-value\n');
      text = text.replace(file, local);
    }
    const env: Record<string, string> = {};
    // A stand-in of the right shape: the Redis URL the chart gives the pods is validated as one.
    for (const e of (container.env ?? []) as Obj[]) env[e.name] = /REDIS_URL$/.test(e.name as string) ? 'redis://stand-in:6379/0' : 'stand-in';
    for (const v of configText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g)) {
      if (v[2] === undefined) assert.ok(v[1]! in env, `${render.name}: \${${v[1]}} in the config is in the container's env`);
    }
    return loadConfigText(text, `${render.name}: ConfigMap config.yaml`, { env });
  }
  const loaded = loadAsThePodWould();
  const server = loaded.config.server;

  test(`${render.name} render: the ConfigMap's config passes the proxy's validation; ports are its ports`, () => {
    assert.equal(server.host, '0.0.0.0');
    assert.equal(server.admin.host, '0.0.0.0', 'the kubelet probes come from outside the pod');
    assert.equal(server.workers, 1, 'one process per pod (scale with replicas)');
    assert.equal(server.watchConfig, true);
    assert.equal(port('http'), server.port);
    assert.equal(port('admin'), server.admin.port);
    if (render.name === 'default') {
      assert.deepEqual([port('http'), port('admin')], [APP_DEFAULTS.port, APP_DEFAULTS.admin.port], 'the app\'s defaults');
      assert.deepEqual([port('http'), port('admin')], [8080, 9090]);
    }
    const annotations = proxyDeployment.spec.template.metadata.annotations ?? {};
    if (annotations['prometheus.io/port'] !== undefined) assert.equal(Number(annotations['prometheus.io/port']), server.admin.port);
    // --config FILE is the ConfigMap's config.yaml, mounted without subPath (watchConfig sees updates).
    const args = container.args as string[];
    const file = args[args.indexOf('--config') + 1]!;
    const volume = (pod.volumes as Obj[]).find((v) => v.configMap?.name === configMap.metadata.name)!;
    const mount = mountOf(volume.name)!;
    assert.equal(posix.join(mount.mountPath, 'config.yaml'), file);
    assert.equal(mount.subPath, undefined);
  });

  test(`${render.name} render: the same hardened pod security as deploy/kubernetes/, probes on the admin port`, () => {
    const kPod = KUSTOMIZE_DEPLOYMENT.spec.template.spec as Obj;
    for (const [k, v] of Object.entries(kPod.securityContext as Obj)) assert.deepEqual(pod.securityContext[k], v, `pod securityContext.${k} as in the Kustomize Deployment`);
    assert.deepEqual(container.securityContext, kPod.containers[0].securityContext, 'container securityContext as in the Kustomize Deployment');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.notEqual(pod.securityContext.runAsUser, 0);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    const tmp = mountOf((pod.volumes as Obj[]).find((v) => mountOf(v.name)?.mountPath === '/tmp')?.name ?? '');
    assert.ok(tmp && (pod.volumes as Obj[]).find((v) => v.name === tmp.name)!.emptyDir, 'a writable /tmp (emptyDir) for spooled uploads');

    assert.deepEqual([container.readinessProbe.httpGet.path, container.readinessProbe.httpGet.port], ['/readyz', 'admin']);
    assert.deepEqual([container.livenessProbe.httpGet.path, container.livenessProbe.httpGet.port], ['/healthz', 'admin']);
    assert.deepEqual([container.startupProbe.httpGet.path, container.startupProbe.httpGet.port], ['/healthz', 'admin']);
    const pause = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    assert.ok(pause > 0, 'a preStop pause');
    assert.ok(pod.terminationGracePeriodSeconds > server.shutdownTimeout + pause, `grace ${pod.terminationGracePeriodSeconds} > shutdownTimeout ${server.shutdownTimeout} + preStop ${pause}`);
    assert.equal(pod.serviceAccountName, named('ServiceAccount', pod.serviceAccountName).metadata.name);
    assert.equal(container.image, `origin-signer:${(parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Obj).appVersion}`);
  });

  test(`${render.name} render: Service (http + metrics), HPA, PDB and ServiceMonitor point at the proxy's pods`, () => {
    const service = named('Service', 'os-origin-signer');
    assert.ok(matches(service.spec.selector, podLabels));
    const ports = service.spec.ports as Obj[];
    assert.deepEqual(ports.map((p) => [p.name, p.targetPort]), [['http', 'http'], ['metrics', 'admin']], 'http, and the admin listener as metrics');
    const hpa = named('HorizontalPodAutoscaler', 'os-origin-signer');
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', proxyDeployment.metadata.name]);
    assert.equal(proxyDeployment.spec.replicas, undefined, 'the HPA owns the replica count');
    const pdb = named('PodDisruptionBudget', 'os-origin-signer');
    assert.ok(matches(pdb.spec.selector.matchLabels, podLabels));
    assert.ok(pdb.spec.minAvailable < hpa.spec.minReplicas, 'a node drain can still evict a pod at the minimum replica count');
    for (const sm of all('ServiceMonitor')) {
      assert.ok(matches(sm.spec.selector.matchLabels, service.metadata.labels));
      assert.deepEqual(sm.spec.endpoints.map((e: Obj) => [e.port, e.path]), [['metrics', '/metrics']]);
      // Any other Service it selects (the headless one) has no `metrics` port: nothing is scraped twice.
      for (const other of all('Service').filter((s) => s !== service && matches(sm.spec.selector.matchLabels, s.metadata.labels))) {
        assert.ok(!(other.spec.ports as Obj[]).some((p) => p.name === 'metrics'), `${other.metadata.name} has no metrics port`);
      }
    }
  });

  test(`${render.name} render: disk cache volume, Secrets, Ingress, Redis — each only when asked for`, () => {
    const disk = loaded.config.cache?.disk;
    const cacheMount = (container.volumeMounts as Obj[]).find((m) => disk && m.mountPath === disk.path);
    if (disk) {
      assert.ok(cacheMount, `a volume at cache.disk.path ${disk.path}`);
      const v = (pod.volumes as Obj[]).find((x) => x.name === cacheMount.name)!;
      assert.ok(v.emptyDir || v.ephemeral, 'emptyDir or an ephemeral claim');
      assert.ok(!cacheMount.readOnly);
    } else {
      assert.ok(!(pod.volumes as Obj[]).some((v) => v.name === 'cache'), 'no cache volume without cache.disk');
    }
    for (const e of (container.env ?? []) as Obj[]) assert.ok(e.value !== undefined || e.valueFrom?.secretKeyRef, `${e.name}: a value or a Secret's key`);

    const ingresses = all('Ingress');
    const redis = all('Deployment').filter((d) => d !== proxyDeployment);
    if (render.name === 'default') {
      assert.deepEqual([ingresses.length, redis.length, all('ServiceMonitor').length, all('NetworkPolicy').length], [0, 0, 0, 0], 'off by default');
      assert.equal(container.env, undefined);
      return;
    }
    assert.equal(ingresses.length, 1);
    const ing = ingresses[0]!;
    assert.equal(ing.metadata.annotations['nginx.ingress.kubernetes.io/upstream-hash-by'], '$uri', 'routing by object');
    for (const r of ing.spec.rules as Obj[]) for (const p of r.http.paths as Obj[]) assert.deepEqual(p.backend.service, { name: 'os-origin-signer', port: { name: 'http' } });

    assert.equal(redis.length, 1, 'the Redis Deployment');
    const redisPod = redis[0]!.spec.template as Obj;
    const redisLabels = redisPod.metadata.labels as Obj;
    for (const [what, selector] of [
      ['the proxy Deployment', proxyDeployment.spec.selector.matchLabels],
      ['the proxy Service', named('Service', 'os-origin-signer').spec.selector],
      ['the PDB', named('PodDisruptionBudget', 'os-origin-signer').spec.selector.matchLabels],
      ['the headless Service', named('Service', 'os-origin-signer-headless').spec.selector],
    ] as const) assert.ok(!matches(selector, redisLabels), `${what} does not select the Redis pod`);
    const redisService = all('Service').find((s) => matches(s.spec.selector, redisLabels))!;
    const url = ((container.env ?? []) as Obj[]).find((e) => e.name === 'ORIGIN_SIGNER_REDIS_URL')!.value as string;
    assert.match(url, new RegExp(`^redis://(:\\$\\(ORIGIN_SIGNER_REDIS_PASSWORD\\)@)?${redisService.metadata.name}:${redisService.spec.ports[0].port}/0$`));
    const policy = all('NetworkPolicy')[0]!;
    assert.ok(matches(policy.spec.podSelector.matchLabels, redisLabels), 'the NetworkPolicy guards Redis');
    assert.ok(matches(policy.spec.ingress[0].from[0].podSelector.matchLabels, podLabels), '… and admits the proxy\'s pods');
    const rc = redisPod.spec.containers[0] as Obj;
    assert.equal(redisPod.spec.securityContext.runAsNonRoot, true);
    assert.deepEqual(rc.securityContext, container.securityContext, 'Redis as hardened as the proxy');
    assert.ok(rc.args.includes('--requirepass'), 'a password when auth.existingSecret is set');
  });
}

// ---- with helm -------------------------------------------------------------------------------

/** helm from scripts/helm/install.sh (.helm/bin), else on PATH. */
function helmBinary(): string | undefined {
  for (const candidate of [join(repoRoot, '.helm', 'bin', 'helm'), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'helm'))]) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}
const HELM = helmBinary();
function helmSkipReason(): string | undefined {
  if (HELM) return undefined;
  const why = 'helm is not installed (run: bash scripts/helm/install.sh); the committed renders were still checked';
  if (process.env.CI === 'true') throw new Error(`${why}, but CI=true: helm lint and helm template must run on CI`);
  return `SKIPPED: ${why}`;
}
const HELM_HOME = mkdtempSync(join(tmpdir(), 'os-helm-home-'));
function helm(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(HELM!, args, {
    encoding: 'utf8',
    env: { ...process.env, HELM_CACHE_HOME: join(HELM_HOME, 'cache'), HELM_CONFIG_HOME: join(HELM_HOME, 'config'), HELM_DATA_HOME: join(HELM_HOME, 'data') },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const template = (...args: string[]): ReturnType<typeof helm> => helm(['template', 'os', CHART, '--namespace', 'media', ...args]);

test('helm lint --strict and helm template (the committed renders are current); the switches the renders do not show', { skip: helmSkipReason() }, async (t) => {
  await t.test('helm lint --strict, with the default values and with ci/fleet-values.yaml', () => {
    for (const r of RENDERS) {
      const out = helm(['lint', '--strict', CHART, ...r.args]);
      assert.equal(out.status, 0, `${r.name}: ${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  });

  await t.test('helm template gives exactly test/fixtures/helm/*.yaml', () => {
    for (const r of RENDERS) {
      const out = template(...r.args);
      assert.equal(out.status, 0, out.stderr);
      assert.deepEqual(docsOf(out.stdout), r.docs, `${r.name}: helm template differs from test/fixtures/helm/${r.name}.yaml — run: bash scripts/helm/render.sh`);
    }
  });

  await t.test('cacheVolume.type ephemeral: a claim per pod of cacheVolume.size; refused without a size', () => {
    const fleet = RENDERS[1]!.args;
    const out = template(...fleet, '--set', 'cacheVolume.type=ephemeral', '--set', 'cacheVolume.size=30Gi', '--set', 'cacheVolume.storageClassName=fast-ssd');
    assert.equal(out.status, 0, out.stderr);
    const d = docsOf(out.stdout).find((x) => x.kind === 'Deployment' && x.metadata.name === 'os-origin-signer')!;
    const cache = (d.spec.template.spec.volumes as Obj[]).find((v) => v.name === 'cache')!;
    assert.deepEqual(cache.ephemeral.volumeClaimTemplate.spec, { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '30Gi' } } });
    const refused = template(...fleet, '--set', 'cacheVolume.type=ephemeral');
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /cacheVolume\.size is required/);
    const unknown = template(...fleet, '--set', 'cacheVolume.type=hostPath');
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /cacheVolume\.type must be emptyDir or ephemeral/);
  });

  await t.test('autoscaling off: replicaCount replicas, no HPA; rollOnConfigChange: a checksum of the config on the pods', () => {
    const out = template('--set', 'autoscaling.enabled=false', '--set', 'replicaCount=3', '--set', 'rollOnConfigChange=true');
    assert.equal(out.status, 0, out.stderr);
    const docs = docsOf(out.stdout);
    assert.ok(!docs.some((x) => x.kind === 'HorizontalPodAutoscaler'));
    const d = docs.find((x) => x.kind === 'Deployment')!;
    assert.equal(d.spec.replicas, 3);
    assert.match(d.spec.template.metadata.annotations['checksum/config'], /^[0-9a-f]{64}$/);
  });

  await t.test('refused: an admin listener the probes cannot reach; a config without proxies', () => {
    const local = template('--set', 'config.server.admin.host=127.0.0.1');
    assert.notEqual(local.status, 0);
    assert.match(local.stderr, /config\.server\.admin\.host must be reachable from outside the pod/);
    const empty = template('--set', 'config.proxies=null');
    assert.notEqual(empty.status, 0);
    assert.match(empty.stderr, /config\.proxies is empty/);
  });

  await t.test('a config with other ports: the container ports, probes (by name) and prometheus annotation follow', () => {
    const out = template('--set', 'config.server.port=8000', '--set', 'config.server.admin.port=9000');
    assert.equal(out.status, 0, out.stderr);
    const docs = docsOf(out.stdout);
    const d = docs.find((x) => x.kind === 'Deployment')!;
    const c = d.spec.template.spec.containers[0] as Obj;
    assert.deepEqual((c.ports as Obj[]).map((p) => [p.name, p.containerPort]), [['http', 8000], ['admin', 9000]]);
    assert.equal(d.spec.template.metadata.annotations['prometheus.io/port'], '9000');
    const cm = docs.find((x) => x.kind === 'ConfigMap')!;
    const cfg = loadConfigText(cm.data['config.yaml'], 'ports.yaml', { env: {} }).config.server;
    assert.deepEqual([cfg.port, cfg.admin.port], [8000, 9000]);
  });
});
