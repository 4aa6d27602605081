// Helpers for the credential-source and reload tests: a strict origin that accepts only keys that
// are still valid, an IMDS fake whose token PUT can fail on its own, a clean AWS environment for the
// proxy process (or for this one, when a test calls the SDK in process), and log / file helpers
// for a running CLI.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import type { StrictOrigin } from '@origin-signer/strict-origin';
import { startFakeSts, type FakeEndpoint, type FakeSts, type Issued, type Issuer } from './fake-aws.js';
import type { ProxyProcess } from './proxy-cli.js';

export interface StaticKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * What the strict origin accepts: the static keys given, plus every issued key that has not expired
 * yet. Expired keys are dropped on every issue and every `pruneMs`, so a request signed with an
 * expired key is refused by the origin (InvalidAccessKeyId), as AWS would.
 */
export class OriginKeyRing {
  readonly #origin: StrictOrigin;
  readonly #issuers: Issuer[] = [];
  readonly #statics: StaticKeys[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(t: TestContext, origin: StrictOrigin, pruneMs = 100) {
    this.#origin = origin;
    this.#timer = setInterval(() => this.sync(), pruneMs);
    this.#timer.unref();
    t.after(() => clearInterval(this.#timer));
  }

  /** An issuer whose keys the origin accepts while they are valid. */
  issuer(issuer: Issuer): Issuer {
    this.#issuers.push(issuer);
    this.sync();
    return issuer;
  }

  static(keys: StaticKeys): StaticKeys {
    this.#statics.push(keys);
    this.sync();
    return keys;
  }

  /** The store stops accepting a static key (a rotated-away key). */
  revoke(accessKeyId: string): void {
    const i = this.#statics.findIndex((k) => k.accessKeyId === accessKeyId);
    if (i >= 0) this.#statics.splice(i, 1);
    this.sync();
  }

  sync(): void {
    const now = Date.now();
    const live = this.#issuers.flatMap((i) => i.issued.filter((c) => c.expiration.getTime() > now));
    this.#origin.setCredentials([...this.#statics, ...live].map((c) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) })));
  }
}

/** The AWS_* variables of this process unset (spawn skips undefined), a fresh empty HOME, plus `extra`. */
export function cleanAwsEnv(t: TestContext, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) env[k] = undefined;
  env.HOME = tempDir(t, 'os-creds-home-');
  return { ...env, ...extra };
}

/**
 * The same clean environment applied to this process, for tests that call the SDK's providers in
 * process (they read process.env themselves); the previous values come back after the test.
 */
export function useCleanAwsEnv(t: TestContext, extra: Record<string, string> = {}): void {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(cleanAwsEnv(t, extra))) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  t.after(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
}

export function tempDir(t: TestContext, prefix = 'os-creds-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function tempFile(t: TestContext, name: string, text: string): string {
  const file = join(tempDir(t), name);
  writeFileSync(file, text);
  return file;
}

export interface ImdsWithToken extends FakeEndpoint {
  /** While true, only the IMDSv2 token PUT is answered 500 (the role GETs still work). */
  failPut: boolean;
  /** `PUT …`, `GET … v2` (with a token) or `GET … v1` (without). */
  readonly calls: string[];
}

/**
 * IMDS whose token PUT can fail on its own — what a hop limit of 1 in a container, or a proxy in the
 * way, looks like. GETs without a token are answered only when `allowV1`.
 */
export async function startImdsWithTokenSwitch(t: TestContext, issuer: Issuer, opts: { allowV1: boolean; role?: string }): Promise<ImdsWithToken> {
  const role = opts.role ?? 'origin-signer-role';
  const tokens = new Set<string>();
  const ep: ImdsWithToken = { url: '', calls: [], failing: false, failPut: false };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const token = req.headers['x-aws-ec2-metadata-token'];
      ep.calls.push(req.method === 'PUT' ? `PUT ${req.url}` : `${req.method} ${req.url} ${token === undefined ? 'v1' : 'v2'}`);
      if (ep.failing) return void res.writeHead(500).end('unavailable');
      if (req.method === 'PUT' && req.url === '/latest/api/token') {
        if (ep.failPut) return void res.writeHead(500).end('token service unavailable');
        const t = randomBytes(24).toString('base64');
        tokens.add(t);
        return void res.writeHead(200).end(t);
      }
      if (token === undefined ? !opts.allowV1 : !tokens.has(String(token))) return void res.writeHead(401).end();
      if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.writeHead(200).end(role);
      if (req.url === `/latest/meta-data/iam/security-credentials/${role}`) {
        const c: Issued = issuer.issue();
        return void res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end(JSON.stringify({ Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration.toISOString() }));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  (ep as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return ep;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The config file a CLI proxy was started with (`serve --config FILE`), from /proc. */
export function configFileOf(proxy: ProxyProcess): string {
  const args = readFileSync(`/proc/${proxy.pid}/cmdline`, 'utf8').split('\0');
  const i = args.indexOf('--config');
  const file = args[i + 1];
  if (i < 0 || !file) throw new Error(`no --config in ${args.join(' ')}`);
  return file;
}

/** Replaces `file` atomically (write a temp file beside it, then rename), as editors and kubelet do. */
export function replaceFileAtomically(file: string, config: object | string): void {
  const temp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temp, typeof config === 'string' ? config : stringify(config));
  renameSync(temp, file);
}

/** Runs `jobs` with at most `limit` at a time; results in job order. */
export async function pool<T>(count: number, limit: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}

/** STS for AssumeRole (fake-aws.ts's STS: the SigV4 signature recomputed with smithy for the caller's keys). */
export function startAssumeRoleSts(
  t: TestContext,
  issuer: Issuer,
  opts: { callers: () => ReadonlyArray<StaticKeys>; region?: string; maxSkewMs?: number },
): Promise<FakeSts> {
  return startFakeSts(t, issuer, opts);
}
