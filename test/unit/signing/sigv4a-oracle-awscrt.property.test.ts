// Our SigV4A, header and query modes, against awscrt — AWS's C runtime, whose aws-c-auth signer is
// what botocore and the AWS CLI sign SigV4A with (dev-only: Debian's python3-awscrt, through
// test/support/awscrt-v4a-oracle.py). For generated requests: the headers or query parameters the
// two add are equal but the signature, and awscrt's signature verifies with our derived public
// key over our string to sign — which holds only if the canonical requests, the strings to sign
// and the derived keys are the same. One Python process signs every sample.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { toAmzDate } from '../../../src/signing/amz-date.js';
import { UNSIGNED_PAYLOAD } from '../../../src/signing/types.js';
import { V4aKeyCache } from '../../../src/signing/v4a/key-cache.js';
import { presignV4a } from '../../../src/signing/v4a/presign.js';
import { verifyV4aSignature } from '../../../src/signing/v4a/signature.js';
import { awscrtSkipReason, crtSign, type CrtRequest } from '../../support/awscrt-oracle.js';
import { credentialsOf } from '../../support/oracle-requests.js';
import { ourV4aHeader, v4aRequest, v4aWire, type V4aGenerated } from '../../support/v4a-oracle-requests.js';

const RUNS = 300;
const seed = Number(process.env.V4A_ORACLE_SEED ?? Date.now() % 2 ** 31);
const cache = new V4aKeyCache();

function crtRequest(g: V4aGenerated, mode: 'header' | 'query'): CrtRequest {
  const w = v4aWire(g);
  return {
    method: g.method,
    path: w.wirePath,
    query: w.wireQuery,
    headers: mode === 'header' ? w.headers : [['host', w.hostname]],
    access_key_id: g.accessKeyId,
    secret_access_key: g.secret,
    session_token: g.token ?? null,
    region_set: g.regionSet,
    service: 's3',
    amz_date: toAmzDate(g.date.getTime()),
    mode,
    expires: g.expires,
    payload_hash: UNSIGNED_PAYLOAD,
    content_sha256_header: mode === 'header',
    normalize: false,
  };
}

const params = (query: string): Array<[string, string]> => [...new URLSearchParams(query)].filter(([k]) => k !== 'X-Amz-Signature').sort();

test(`SigV4A header signing matches awscrt (seed ${seed})`, { skip: awscrtSkipReason() }, () => {
  const samples = fc.sample(v4aRequest, { numRuns: RUNS, seed });
  const signed = crtSign(samples.map((g) => crtRequest(g, 'header')));
  samples.forEach((g, i) => {
    const w = v4aWire(g);
    const creds = credentialsOf(g);
    const ours = ourV4aHeader(g, w, cache);
    const theirs = new Map(signed[i]!.headers.map(([n, v]) => [n.toLowerCase(), v]));
    const at = `sample ${i} (seed ${seed})\n${ours.canonicalRequest}`;
    for (const [name, value] of ours.headers) {
      if (name !== 'authorization') assert.equal(theirs.get(name), value, `${name}: ${at}`);
    }
    const crtAuth = theirs.get('authorization')!;
    assert.equal(ours.authorization.replace(/Signature=.*/, ''), crtAuth.replace(/Signature=.*/, ''), at);
    const publicKey = cache.get(creds, creds.secretAccessKey).publicKey;
    assert.ok(verifyV4aSignature(publicKey, ours.stringToSign, /Signature=([0-9a-f]+)$/.exec(crtAuth)![1]!), `awscrt's signature verifies over our string to sign: ${at}`);
  });
});

test(`SigV4A presigned URLs match awscrt (seed ${seed})`, { skip: awscrtSkipReason() }, () => {
  const samples = fc.sample(v4aRequest, { numRuns: RUNS, seed: seed + 1 });
  const signed = crtSign(samples.map((g) => crtRequest(g, 'query')));
  samples.forEach((g, i) => {
    const w = v4aWire(g);
    const creds = credentialsOf(g);
    const ours = presignV4a({ method: g.method, path: w.wirePath, query: w.wireQuery, headers: [['host', w.hostname]] }, creds, { regionSet: g.regionSet, service: 's3', uriRule: 's3', keyCache: cache }, {
      amzDate: toAmzDate(g.date.getTime()),
      expires: g.expires,
      payloadHash: UNSIGNED_PAYLOAD,
    });
    const crtPath = signed[i]!.path;
    const crtQuery = crtPath.slice(crtPath.indexOf('?') + 1);
    const at = `sample ${i} (seed ${seed + 1})\n${ours.canonicalRequest}`;
    assert.equal(crtPath.slice(0, crtPath.indexOf('?')), w.wirePath, at);
    assert.deepEqual(params(ours.query), params(crtQuery), at);
    const publicKey = cache.get(creds, creds.secretAccessKey).publicKey;
    const crtSignature = new URLSearchParams(crtQuery).get('X-Amz-Signature')!;
    assert.ok(verifyV4aSignature(publicKey, ours.stringToSign, crtSignature), `awscrt's signature verifies over our string to sign: ${at}`);
  });
});
