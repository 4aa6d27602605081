// README "Docker": the Dockerfile's promises (Node 24 in both stages, a non-root user, ports 8080
// and 9090, a HEALTHCHECK on /healthz, the launcher as ENTRYPOINT, the config at
// /etc/origin-signer/config.yaml), then the build replayed for real without Docker: the build
// stage's COPY (honouring .dockerignore) and RUN lines in a clean folder, the run stage's
// COPY --from=build into a second one; that folder must hold no development-only package and not
// the strict origin (packages/strict-origin, what the tests and the demo run against), and it must
// work the way the image runs it: `check`, `serve` (NODE_ENV=production) in front of a strict
// origin, a GET through it, the HEALTHCHECK command, and `serve` without a config refused (exit 2,
// no demo: the image has no strict origin to run one).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix } from 'node:path';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { stringify } from 'yaml';
import { loadConfigText } from '../../../src/config/load.js';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../../support/origin-client.js';
import { copyArgs, dockerignore, envOf, healthcheckCommand, parseDockerfile, relativeTo, type Stage } from '../../support/ops-dockerfile.js';
import { repoRoot } from '../../support/paths.js';
import { assertNoLeaks, registerConfigSecrets } from '../../support/secret-registry.js';
import { freePort } from '../../support/sockets.js';

const stages: Stage[] = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const ignored = existsSync(join(repoRoot, '.dockerignore')) ? dockerignore(readFileSync(join(repoRoot, '.dockerignore'), 'utf8')) : () => false;
const CONFIG_PATH = '/etc/origin-signer/config.yaml';

const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string) => all(stage, keyword).at(-1);

test('Dockerfile: Node 24 stages, non-root user, ports, HEALTHCHECK, ENTRYPOINT, CMD', () => {
  assert.equal(stages.length, 2, 'a build stage and a run stage');
  const [build, run] = stages as [Stage, Stage];
  for (const s of stages) assert.match(s.image, /^node:24([.-]|$)/, `FROM ${s.image}`);
  assert.ok(build.name, 'the build stage is named');
  assert.ok(all(run, 'COPY').every((c) => c.flags.from === build.name), 'the run stage copies from the build stage only');

  const user = last(run, 'USER');
  assert.ok(user, 'the run stage sets USER');
  assert.ok(!/^(root|0)(:|$)/.test(user.args), `USER ${user.args} is not root`);
  assert.ok(run.instructions.indexOf(user) < run.instructions.indexOf(last(run, 'ENTRYPOINT')!), 'USER comes before the entrypoint');

  // The exposed ports are the config's defaults (server.port, server.admin.port).
  const defaults = loadConfigText('proxies:\n  - { path: /p/, upstream: { bucket: b-bucket, region: us-east-1 }, credentials: { accessKeyId: A, secretAccessKey: S } }\n', 'defaults.yaml').config.server;
  const exposed = all(run, 'EXPOSE').flatMap((e) => e.args.split(/\s+/)).map((p) => p.replace(/\/tcp$/, '')).sort();
  assert.deepEqual(exposed, ['8080', '9090']);
  assert.deepEqual(exposed, [String(defaults.port), String(defaults.admin.port)].sort());

  const hc = last(run, 'HEALTHCHECK');
  assert.ok(hc, 'a HEALTHCHECK');
  const hcCmd = healthcheckCommand(hc).join(' ');
  // The launcher's `health` with the mounted config: the probe follows server.admin, whatever its port.
  assert.deepEqual(healthcheckCommand(hc), [posix.join(last(run, 'WORKDIR')!.args, 'bin/origin-signer'), 'health', '--config', CONFIG_PATH], hcCmd);

  const workdir = last(run, 'WORKDIR')!.args;
  const entry = last(run, 'ENTRYPOINT');
  assert.ok(entry?.exec, 'ENTRYPOINT in exec form (signals reach the launcher)');
  assert.deepEqual(entry.exec, [posix.join(workdir, 'bin/origin-signer')], 'the launcher');
  assert.ok(all(run, 'COPY').some((c) => copyArgs(c).sources.includes(posix.join(all(build, 'WORKDIR').at(-1)!.args, 'bin'))), 'the launcher is copied into the image');
  const cmd = last(run, 'CMD');
  assert.deepEqual(cmd?.exec, ['serve', '--config', CONFIG_PATH]);
  assert.equal(envOf(last(run, 'ENV')!).NODE_ENV, 'production');
});

/** Replays one COPY: sources from `from` (a folder standing for the context or a stage's root). */
function replayCopy(ins: Stage['instructions'][number], resolveSource: (s: string) => string, workdir: string, root: string, filter: (abs: string) => boolean): void {
  const { sources, dest } = copyArgs(ins);
  const target = dest.startsWith('/') ? join(root, posix.relative(workdir, dest)) : join(root, dest);
  const intoDir = sources.length > 1 || dest.endsWith('/');
  for (const s of sources) {
    const src = resolveSource(s);
    assert.ok(existsSync(src), `line ${ins.line}: COPY source ${s} exists`);
    const to = statSync(src).isDirectory() ? target : intoDir ? join(target, basename(src)) : target;
    mkdirSync(statSync(src).isDirectory() ? to : dirname(to), { recursive: true });
    cpSync(src, to, { recursive: true, filter, dereference: false });
  }
}

/** External packages imported (import … from / export … from / import('pkg') / createRequire(…)('pkg/…')) by `entry` and every local module it reaches statically. */
function staticImports(entry: string): { packages: Set<string>; files: number } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
    // Packages loaded on demand (a credential source's SDK) or required through createRequire
    // (undici's Pool and error classes, without its index) count too; local modules loaded on
    // demand (the demo, which needs the development dependencies) are not followed.
    for (const m of text.matchAll(/\b(?:import|createRequire\([^)]*\))\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g)) {
      const spec = m[1]!;
      if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { packages, files: seen.size };
}

const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|socket hang up|request to https?:\/\/\S+ failed/i;

function waitForListening(child: ReturnType<typeof spawn>, lines: string[], stderr: string[]): Promise<{ url: string; admin: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 20 s:\n${lines.join('\n')}\n${stderr.join('\n')}`)), 20_000);
    createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      lines.push(l);
      if (l.includes('"msg":"listening"')) {
        clearTimeout(timer);
        const j = JSON.parse(l) as { url: string; admin: string };
        resolve(j);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before listening:\n${stderr.join('\n')}`));
    });
  });
}

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('Dockerfile replayed: build stage, run stage, production dependencies only, then check / serve / HEALTHCHECK', { timeout: 600_000 }, async (t) => {
  const [build, run] = stages as [Stage, Stage];
  const buildRoot = tempDir(t, 'os-docker-build-');
  const runRoot = tempDir(t, 'os-docker-run-');
  const buildWorkdir = last(build, 'WORKDIR')!.args;
  const runWorkdir = last(run, 'WORKDIR')!.args;
  assert.ok(buildWorkdir.startsWith('/') && runWorkdir.startsWith('/'));
  const contextFilter = (abs: string): boolean => {
    const rel = relativeTo(repoRoot, abs);
    return rel === '' || !ignored(rel);
  };

  // Build stage, in order.
  const buildEnv: Record<string, string> = {};
  for (const ins of build.instructions) {
    if (ins.keyword === 'WORKDIR') continue;
    if (ins.keyword === 'ENV') Object.assign(buildEnv, envOf(ins));
    else if (ins.keyword === 'COPY') {
      assert.equal(ins.flags.from, undefined, 'the build stage copies from the context');
      replayCopy(ins, (s) => join(repoRoot, s), buildWorkdir, buildRoot, contextFilter);
    } else if (ins.keyword === 'RUN') {
      const r = spawnSync('/bin/sh', ['-c', ins.args], { cwd: buildRoot, env: { ...process.env, ...buildEnv, NODE_ENV: buildEnv.NODE_ENV ?? '' }, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
      const out = `${r.stdout}\n${r.stderr}`;
      if (r.status !== 0 && /\bnpm (ci|install)\b/.test(ins.args) && NETWORK.test(out)) {
        t.skip(`RUN ${ins.args} failed for network reasons (no registry access): ${out.match(NETWORK)?.[0]}`);
        return;
      }
      assert.equal(r.status, 0, `line ${ins.line}: RUN ${ins.args}\n${out.slice(-4000)}`);
    } else assert.fail(`line ${ins.line}: ${ins.keyword} in the build stage is not replayed by this test`);
  }
  // Nothing the .dockerignore leaves out reached the build.
  assert.ok(!existsSync(join(buildRoot, 'test')) && !existsSync(join(buildRoot, 'bench')));
  assert.ok(!existsSync(join(buildRoot, 'packages')), 'the workspace packages (the strict origin) are not in the build');
  assert.ok(existsSync(join(buildRoot, 'dist', 'src', 'cli.js')), 'compiled');

  // Run stage: COPY --from=build.
  const runEnv: Record<string, string> = {};
  for (const ins of run.instructions) {
    if (ins.keyword === 'ENV') Object.assign(runEnv, envOf(ins));
    if (ins.keyword !== 'COPY') continue;
    replayCopy(ins, (s) => (s.startsWith('/') ? join(buildRoot, posix.relative(buildWorkdir, s)) : assert.fail(`COPY --from source ${s} is not absolute`)), runWorkdir, runRoot, () => true);
  }
  assert.deepEqual(readdirSync(runRoot).sort(), ['bin', 'dist', 'node_modules', 'package.json']);
  assert.deepEqual(readdirSync(join(runRoot, 'dist')), ['src'], 'only the compiled sources (no tests)');

  // No development-only package in the image.
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const name of ['typescript', 'fast-check', 'aws4', '@types/node', '@aws-crypto/sha256-js', '@aws-sdk/cloudfront-signer', '@smithy/protocol-http']) {
    assert.ok(name in pkg.devDependencies, `${name} is a devDependency`);
    assert.equal(existsSync(join(runRoot, 'node_modules', name)), false, `${name} is not in the image`);
  }
  for (const name of Object.keys(pkg.devDependencies)) {
    const here = existsSync(join(runRoot, 'node_modules', name));
    if (lock.packages[`node_modules/${name}`]?.dev) assert.equal(here, false, `dev-only ${name} is not in the image`);
  }
  // The strict origin is a development dependency (a workspace link): neither the package, nor a
  // link to it (lstat: a dangling link counts), nor its compiled code under dist/src.
  const strictOrigin = JSON.parse(readFileSync(join(repoRoot, 'packages', 'strict-origin', 'package.json'), 'utf8')) as { name: string };
  assert.ok(strictOrigin.name in pkg.devDependencies, `${strictOrigin.name} is a devDependency`);
  assert.equal(lstatSync(join(runRoot, 'node_modules', strictOrigin.name), { throwIfNoEntry: false }), undefined, `${strictOrigin.name} is not in the image`);
  assert.equal(existsSync(join(runRoot, 'dist', 'src', 'strict-origin')), false, 'no dist/src/strict-origin');
  const compiled = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? compiled(join(dir, e.name)) : [join(dir, e.name)]));
  const mentions = compiled(join(runRoot, 'dist', 'src')).filter((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('verifySigV4Header'));
  assert.deepEqual(mentions, [], 'none of the strict origin\'s verifiers under dist/src');
  // @smithy/signature-v4 is a devDependency of ours but also a dependency of the AWS SDK's
  // credential providers (a production dependency), so it may be there; what `serve` loads must
  // come from production dependencies only: every package imported statically from cli.js on.
  const imported = staticImports(join(runRoot, 'dist', 'src', 'cli.js'));
  assert.ok(imported.files > 20, `${imported.files} modules reached from cli.js`);
  for (const name of imported.packages) assert.ok(name in pkg.dependencies, `serve imports ${name}, which is not a production dependency`);
  for (const name of ['fastify', 'undici', 'pino', 'yaml', 'zod', '@aws-sdk/credential-providers']) assert.ok(imported.packages.has(name), `serve uses ${name}`);
  for (const name of Object.keys(pkg.dependencies)) assert.ok(existsSync(join(runRoot, 'node_modules', name, 'package.json')), `${name} is installed`);

  // Run it the way the image does: the launcher, NODE_ENV=production, no dev packages.
  const origin = await startStrictOrigin({ credentials: [{ accessKeyId: 'AKIDDOCKERREPLAY01', secretAccessKey: 'docker/replay+secret=0123456789' }], buckets: ['docker-bucket'] });
  t.after(() => origin.close());
  await origin.putObject('docker-bucket', 'hello.txt', 'hello from the image\n', { contentType: 'text/plain' });
  const configDir = tempDir(t, 'os-docker-config-');
  // A fixed, non-default admin port: the HEALTHCHECK must find it in the config.
  const config = {
    server: { host: '127.0.0.1', port: 0, admin: { host: '0.0.0.0', port: await freePort() } },
    credentials: { reader: { accessKeyId: 'AKIDDOCKERREPLAY01', secretAccessKey: 'docker/replay+secret=0123456789' } },
    proxies: [{ path: '/p/', upstream: { bucket: 'docker-bucket', region: 'us-east-1', endpoint: `http://localhost:${origin.port}`, addressing: 'path' }, credentials: 'reader' }],
  };
  registerConfigSecrets(config);
  const configFile = join(configDir, 'config.yaml');
  writeFileSync(configFile, stringify(config));
  const entry = last(run, 'ENTRYPOINT')!.exec!.map((a) => (a.startsWith(runWorkdir) ? join(runRoot, posix.relative(runWorkdir, a)) : a));
  const cmd = last(run, 'CMD')!.exec!.map((a) => (a === CONFIG_PATH ? configFile : a));
  const env: NodeJS.ProcessEnv = { ...process.env, ...runEnv, HOME: configDir };
  assert.equal(env.NODE_ENV, 'production');

  const check = spawnSync(entry[0]!, [...entry.slice(1), 'check', configFile], { cwd: runRoot, env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /: valid/);
  assertNoLeaks('check in the replayed image', { stdout: check.stdout.split('\n'), stderr: check.stderr.split('\n') });

  const child = spawn(entry[0]!, [...entry.slice(1), ...cmd], { cwd: runRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const { url, admin } = await waitForListening(child, lines, stderr);
  const port = Number(new URL(url).port);
  const res = await raw(port, { path: '/p/hello.txt' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.text, 'hello from the image\n');
  assert.equal(origin.requests.at(-1)?.auth, 'v4-header');

  // The HEALTHCHECK as the image runs it: its paths in the run folder, the mounted config.
  const hc = healthcheckCommand(last(run, 'HEALTHCHECK')!).map((a) => (a === CONFIG_PATH ? configFile : a.startsWith(runWorkdir) ? join(runRoot, posix.relative(runWorkdir, a)) : a));
  const probe = spawnSync(hc[0]!, hc.slice(1), { cwd: runRoot, env, encoding: 'utf8', timeout: 20_000 });
  assert.equal(probe.status, 0, `HEALTHCHECK: ${probe.stdout}${probe.stderr}`);
  assert.equal(probe.stdout, `healthy: http://127.0.0.1:${new URL(admin).port}/healthz answered 200\n`);

  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  // And it fails once nothing answers there (so the 0 above means something).
  const dead = spawnSync(hc[0]!, hc.slice(1), { cwd: runRoot, env, encoding: 'utf8', timeout: 20_000 });
  assert.equal(dead.status, 1, dead.stdout + dead.stderr);
  assert.match(dead.stdout, /^unhealthy: /);
  assertNoLeaks('serve in the replayed image', { stdout: lines, stderr });

  // No config, no demo: the image says how to pass one.
  const bare = spawnSync(entry[0]!, [...entry.slice(1), 'serve'], { cwd: runRoot, env: { ...env, PORT: '0', ADMIN_PORT: '0' }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(bare.status, 2, `serve without a config: ${bare.stdout}\n${bare.stderr}`);
  assert.match(bare.stderr, /origin-signer serve --config FILE/);
  assert.match(bare.stderr, /development checkout/);
  assert.doesNotMatch(bare.stdout, /curl/, 'no demo started');
});
