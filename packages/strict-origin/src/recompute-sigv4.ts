/**
 * Recomputes a SigV4 signature with @smithy/signature-v4 — never with the project's own signer,
 * which this origin exists to judge.
 *
 * How smithy is driven (read from @smithy/signature-v4: prepareRequest, getCanonicalHeaders,
 * getPayloadHash):
 *  - the request handed to smithy contains ONLY the headers named in SignedHeaders (values as
 *    received, repeats joined with ","), and `signableHeaders` lists them so smithy's
 *    always-unsignable list (cache-control, expect, user-agent, …) cannot drop one the client signed;
 *  - smithy deletes `date` / `x-amz-date` before signing (it generates them); a subclass puts back
 *    a signed `date` (S3's own PUT example signs it);
 *  - the payload hash is passed as an `x-amz-content-sha256` header that is marked unsignable when
 *    the client did not sign one (smithy reads the hash from that header), and kept in the headers
 *    for presigning.
 */
import { SignatureV4, getSigningKey } from '@smithy/signature-v4';
import type { HeaderBag, HttpRequest } from '@smithy/protocol-http';
import { signableHttpRequest, uriEscapePathFor, type UriRule } from './canonical-request.js';
import type { CanonicalForms } from './compare-signature.js';
import type { QueryParam } from './query.js';
import { NodeSha256 } from './sha256.js';
import { signedHeaderValues } from './signed-headers.js';
import type { OriginCredential, SignableRequest } from './types.js';

export type Recomputed = CanonicalForms & { signature: string };

const normaliseHeaderValue = (v: string): string =>
  v
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');

/**
 * smithy's SignatureV4 with two additions: it remembers the canonical request
 * and string to sign (for S3's SignatureDoesNotMatch diagnostics), and it puts
 * back a signed `date` header that smithy's prepareRequest() removes.
 */
class RecordingSignatureV4 extends SignatureV4 {
  canonicalRequest = '';
  stringToSign = '';
  constructor(
    init: ConstructorParameters<typeof SignatureV4>[0],
    private readonly restore: Record<string, string>,
  ) {
    super(init);
  }
  protected override createCanonicalRequest(request: HttpRequest, canonicalHeaders: HeaderBag, payloadHash: string): string {
    const headers: HeaderBag = { ...canonicalHeaders };
    for (const [k, v] of Object.entries(this.restore)) if (!(k in headers)) headers[k] = normaliseHeaderValue(v);
    this.canonicalRequest = super.createCanonicalRequest(request, headers, payloadHash);
    return this.canonicalRequest;
  }
  protected override async createStringToSign(
    longDate: string,
    credentialScope: string,
    canonicalRequest: string,
    algorithmIdentifier: string,
  ): Promise<string> {
    this.stringToSign = await super.createStringToSign(longDate, credentialScope, canonicalRequest, algorithmIdentifier);
    return this.stringToSign;
  }
}

interface RecomputeInput {
  mode: 'header' | 'query';
  req: SignableRequest;
  /** Query parameters to sign (decoded), auth parameters already removed in query mode. */
  params: readonly QueryParam[];
  signedHeaders: string[];
  cred: OriginCredential;
  /** Session token that smithy must add as X-Amz-Security-Token (query mode). */
  queryToken: string | undefined;
  amzDate: Date;
  expires?: number;
  payloadHash: string;
  service: string;
  region: string;
  uriRule: UriRule;
}

/** Signed headers smithy removes and generates itself; the client's values are put back. */
function headersToRestore(headers: Record<string, string>, mode: RecomputeInput['mode']): Record<string, string> {
  const restore: Record<string, string> = {};
  if (headers['date'] !== undefined) restore['date'] = headers['date'];
  if (mode === 'query' && headers['x-amz-date'] !== undefined) restore['x-amz-date'] = headers['x-amz-date'];
  return restore;
}

export async function recomputeSigV4(input: RecomputeInput): Promise<Recomputed> {
  const headers = signedHeaderValues(input.req, input.signedHeaders);
  const restore = headersToRestore(headers, input.mode);
  const unsignable = new Set<string>();
  if (!('x-amz-content-sha256' in headers)) {
    headers['x-amz-content-sha256'] = input.payloadHash;
    unsignable.add('x-amz-content-sha256');
  }
  const request = signableHttpRequest(input.req, input.uriRule, input.params, headers);
  const signer = new RecordingSignatureV4(
    {
      service: input.service,
      region: input.region,
      credentials: {
        accessKeyId: input.cred.accessKeyId,
        secretAccessKey: input.cred.secretAccessKey,
        ...(input.queryToken !== undefined ? { sessionToken: input.queryToken } : {}),
      },
      sha256: NodeSha256,
      uriEscapePath: uriEscapePathFor(input.uriRule),
      applyChecksum: false,
    },
    restore,
  );
  const signableHeaders = new Set(input.signedHeaders);
  let signature: string | undefined;
  if (input.mode === 'header') {
    const signed = await signer.sign(request, { signingDate: input.amzDate, signableHeaders, unsignableHeaders: unsignable });
    signature = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers['authorization']))?.[1];
  } else {
    const unhoistable = new Set([...input.signedHeaders, 'x-amz-content-sha256']);
    const signed = await signer.presign(request, {
      signingDate: input.amzDate,
      expiresIn: input.expires ?? 0,
      signableHeaders,
      unsignableHeaders: unsignable,
      unhoistableHeaders: unhoistable,
    });
    const s = signed.query?.['X-Amz-Signature'];
    signature = typeof s === 'string' ? s : undefined;
  }
  if (signature === undefined) throw new Error('smithy produced no signature');
  return { signature, canonicalRequest: signer.canonicalRequest, stringToSign: signer.stringToSign };
}

/** The derived signing key, which aws-chunked chunk signatures are checked with. */
export async function signingKeyFor(cred: OriginCredential, shortDate: string, region: string, service: string): Promise<Uint8Array> {
  return getSigningKey(NodeSha256, { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey }, shortDate, region, service);
}
