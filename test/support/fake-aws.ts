// Fake AWS credential endpoints on loopback, behaving like AWS's for what the proxy uses: IMDSv2
// (token required; IMDSv1 only when allowed), the ECS/EKS container endpoint (authorization
// token), and STS AssumeRoleWithWebIdentity / AssumeRole (the latter's SigV4 signature recomputed
// with @smithy/signature-v4, never with the project's signer). Each issues fresh short-lived keys.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { registerSecret } from './secret-registry.js';

export interface Issued {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Mints credentials with a fixed lifetime and tells a listener (e.g. the strict origin) about them. */
export class Issuer {
  readonly issued: Issued[] = [];
  constructor(
    readonly prefix: string,
    readonly lifetimeMs: number,
    private readonly onIssue: (all: readonly Issued[]) => void = () => {},
    private readonly clock: () => number = Date.now,
  ) {}
  issue(): Issued {
    const n = String(this.issued.length + 1).padStart(4, '0');
    const c: Issued = {
      accessKeyId: `${this.prefix}${n}`.slice(0, 20).padEnd(16, 'X'),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `token/${this.prefix}/${n}+${randomBytes(12).toString('base64')}`,
      expiration: new Date(this.clock() + this.lifetimeMs),
    };
    // Issued keys must never show up in a proxy's output (checked by startProxyCli).
    registerSecret(c.secretAccessKey);
    registerSecret(c.sessionToken);
    this.issued.push(c);
    this.onIssue(this.issued);
    return c;
  }
}

export interface FakeEndpoint {
  readonly url: string;
  /** Request log: method + path (+ action for STS). */
  readonly calls: string[];
  /** While true, every request is answered 500. */
  failing: boolean;
}

async function listen(t: TestContext | undefined, handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t?.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const metadataJson = (c: Issued): string =>
  JSON.stringify({ Code: 'Success', LastUpdated: new Date().toISOString(), Type: 'AWS-HMAC', AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration.toISOString() });

/** EC2 IMDS: PUT /latest/api/token, then the role listing and credentials with that token. */
export async function startFakeImds(t: TestContext | undefined, issuer: Issuer, opts: { role?: string; allowV1?: boolean } = {}): Promise<FakeEndpoint> {
  const role = opts.role ?? 'origin-signer-role';
  const tokens = new Set<string>();
  const ep: FakeEndpoint = { url: '', calls: [], failing: false };
  const { url } = await listen(t, (req, _body, res) => {
    ep.calls.push(`${req.method} ${req.url}`);
    if (ep.failing) return void res.writeHead(500).end('unavailable');
    if (req.method === 'PUT' && req.url === '/latest/api/token') {
      const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
      if (!(ttl >= 1 && ttl <= 21600)) return void res.writeHead(400).end();
      const token = randomBytes(24).toString('base64');
      tokens.add(token);
      return void res.writeHead(200, { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) }).end(token);
    }
    const token = req.headers['x-aws-ec2-metadata-token'];
    if (token === undefined ? !opts.allowV1 : !tokens.has(String(token))) return void res.writeHead(401).end();
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.writeHead(200).end(role);
    if (req.url === `/latest/meta-data/iam/security-credentials/${role}`) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(metadataJson(issuer.issue()));
    res.writeHead(404).end();
  });
  (ep as { url: string }).url = url;
  return ep;
}

export interface FakeContainerEndpoint extends FakeEndpoint {
  /** Rewrites each credentials answer before it is sent (a broken agent or a proxy in the way). */
  mangle: (body: string, issued: Issued) => string;
}

/** ECS / EKS Pod Identity container endpoint: GET with the Authorization token. */
export async function startFakeContainerEndpoint(t: TestContext | undefined, issuer: Issuer, authToken: string): Promise<FakeContainerEndpoint> {
  const ep: FakeContainerEndpoint = { url: '', calls: [], failing: false, mangle: (body) => body };
  const { url } = await listen(t, (req, _body, res) => {
    ep.calls.push(`${req.method} ${req.url}`);
    if (ep.failing) return void res.writeHead(500).end('unavailable');
    if (req.headers.authorization !== authToken) return void res.writeHead(401).end('{"code":"AccessDenied"}');
    const c = issuer.issue();
    res.writeHead(200, { 'content-type': 'application/json' }).end(ep.mangle(metadataJson(c), c));
  });
  (ep as { url: string }).url = `${url}/v2/credentials/task`;
  return ep;
}

const stsXml = (action: string, c: Issued): string =>
  `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result><Credentials><AccessKeyId>${c.accessKeyId}</AccessKeyId><SecretAccessKey>${c.secretAccessKey}</SecretAccessKey><SessionToken>${c.sessionToken}</SessionToken><Expiration>${c.expiration.toISOString()}</Expiration></Credentials></${action}Result><ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata></${action}Response>`;
const stsError = (code: string, message: string): string =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>x</RequestId></ErrorResponse>`;

export interface FakeSts extends FakeEndpoint {
  /** Parameters of every successful call. */
  readonly accepted: Array<Record<string, string>>;
}

/**
 * STS Query API: AssumeRoleWithWebIdentity (unsigned, checks the token) and AssumeRole (SigV4,
 * service sts, signature recomputed with smithy for the caller's credentials).
 */
export async function startFakeSts(
  t: TestContext | undefined,
  issuer: Issuer,
  opts: { webIdentityToken?: () => string; callers?: () => ReadonlyArray<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>; region?: string; maxSkewMs?: number },
): Promise<FakeSts> {
  const ep: FakeSts = { url: '', calls: [], failing: false, accepted: [] };
  const { url } = await listen(t, (req, body, res) => {
    const params = Object.fromEntries(new URLSearchParams(body));
    ep.calls.push(`${req.method} ${req.url} ${params.Action ?? ''}`);
    const reply = (status: number, xml: string) => void res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
    if (ep.failing) return reply(500, stsError('ServiceUnavailable', 'unavailable'));
    if (req.method !== 'POST' || params.Version !== '2011-06-15') return reply(400, stsError('InvalidAction', 'bad request'));
    if (params.Action === 'AssumeRoleWithWebIdentity') {
      if (!params.RoleArn || !params.RoleSessionName) return reply(400, stsError('MissingParameter', 'RoleArn and RoleSessionName'));
      if (params.WebIdentityToken !== opts.webIdentityToken?.()) return reply(400, stsError('InvalidIdentityToken', 'token rejected'));
      ep.accepted.push(params);
      return reply(200, stsXml('AssumeRoleWithWebIdentity', issuer.issue()));
    }
    if (params.Action === 'AssumeRole') {
      void verifySigV4(req, body, opts.callers?.() ?? [], opts.region ?? 'us-east-1', opts.maxSkewMs ?? 5 * 60_000).then((ok) => {
        if (!ok.valid) return reply(403, stsError('SignatureDoesNotMatch', ok.reason));
        ep.accepted.push({ ...params, CallerAccessKeyId: ok.accessKeyId });
        reply(200, stsXml('AssumeRole', issuer.issue()));
      });
      return;
    }
    reply(400, stsError('InvalidAction', `unknown action ${params.Action}`));
  });
  (ep as { url: string }).url = url;
  return ep;
}

/**
 * STS's check of an AssumeRole signature: scope region, a known caller, `host` and `x-amz-date`
 * signed, the caller's session token sent, the date within the allowed skew, and the signature
 * recomputed with smithy (`applyChecksum: false`: STS, a query API, takes no x-amz-content-sha256).
 */
async function verifySigV4(req: IncomingMessage, body: string, callers: ReadonlyArray<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>, region: string, maxSkewMs: number): Promise<{ valid: true; accessKeyId: string } | { valid: false; reason: string }> {
  const auth = String(req.headers.authorization ?? '');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return { valid: false, reason: 'malformed Authorization' };
  const [, accessKeyId, day, scopeRegion, signedHeaders, signature] = m;
  if (scopeRegion !== region) return { valid: false, reason: `scope region ${scopeRegion} is not ${region}` };
  const caller = callers.find((c) => c.accessKeyId === accessKeyId);
  if (!caller) return { valid: false, reason: `unknown caller ${accessKeyId}` };
  const names = signedHeaders!.split(';');
  for (const must of ['host', 'x-amz-date']) if (!names.includes(must)) return { valid: false, reason: `${must} is not signed` };
  if (caller.sessionToken && req.headers['x-amz-security-token'] !== caller.sessionToken) return { valid: false, reason: 'missing or wrong x-amz-security-token' };
  const headers: Record<string, string> = {};
  for (const n of names) headers[n] = String(req.headers[n] ?? '');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (Number.isNaN(date.getTime()) || amzDate.slice(0, 8) !== day) return { valid: false, reason: 'bad x-amz-date' };
  if (Math.abs(date.getTime() - Date.now()) > maxSkewMs) return { valid: false, reason: 'request time too skewed' };
  const signer = new SignatureV4({ credentials: caller, region, service: 'sts', sha256: Sha256, applyChecksum: false });
  const host = String(req.headers.host);
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: host.split(':')[0]!, path: '/', headers, body }), {
    signingDate: date,
    signableHeaders: new Set(names),
  });
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1];
  return expected === signature ? { valid: true, accessKeyId: accessKeyId! } : { valid: false, reason: 'signature does not match' };
}
