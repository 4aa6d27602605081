import type { RawProxy } from '../block-schema.js';
import type { Fields } from '../partial.js';
import { has } from '../partial.js';
import { error, warning, type ConfigPath, type Finding } from '../problems.js';
import { accessPointOf, directoryZoneOf, signingVersion } from '../derive.js';

/** Combinations of redirect mode, SSE and requester pays that cannot work (README "Signing modes"). */
export function s3FlavourFindings(b: Fields<RawProxy>, at: ConfigPath): Finding[] {
  if (!has(b, 'signing') || !has(b, 'upstream')) return [];
  const out: Finding[] = [];
  const up = b.upstream;
  const sse = up.type === 's3' ? up.sse : undefined;
  const payer = up.type === 's3' && up.requestPayer;
  if (b.signing.mode === 'redirect') {
    const writes = has(b, 'methods') ? b.methods.filter((m) => m !== 'GET' && m !== 'HEAD') : [];
    if (writes.length > 0) out.push(error([...at, 'methods'], `signing.mode: redirect answers reads only; remove ${writes.join(', ')}`));
    if (has(b, 'cache') && b.cache) out.push(error([...at, 'cache'], 'signing.mode: redirect sends no bytes through the proxy: there is nothing to cache'));
    if (has(b, 'site') && b.site) out.push(error([...at, 'site'], 'signing.mode: redirect cannot serve index documents, listings or error pages'));
    // A presigned URL carries no headers: SSE-C's key and the payer's consent would be lost.
    if (sse && 'customerKey' in sse) out.push(error([...at, 'upstream', 'sse'], 'SSE-C needs its key headers on every request: it cannot go with signing.mode: redirect'));
    if (payer) out.push(error([...at, 'upstream', 'requestPayer'], 'requestPayer needs its header on every request: it cannot go with signing.mode: redirect'));
  }
  const ap = accessPointOf(up);
  if (ap) {
    const at2 = [...at, 'upstream', 'accessPoint'];
    if (ap.multiRegion && (b.signing.version as string | undefined) !== 'v4a') out.push(error(at2, 'a multi-region access point is signed with SigV4A: set signing.version: v4a'));
    if (!ap.multiRegion && signingVersion(up, b.signing) === 'v2') out.push(error(at2, 'access points take SigV4 only: remove signing.version: v2'));
    if (!ap.multiRegion && up.region !== undefined && up.region !== ap.region) out.push(error([...at, 'upstream', 'region'], `the access point is in ${ap.region}, not ${up.region}`));
    if (up.type === 's3' && up.addressing === 'path') out.push(error([...at, 'upstream', 'addressing'], 'an access point is addressed by its host: remove addressing: path'));
    // A URL is dialled at the host it is signed for: viewers go to the access point, not the endpoint (a private link they may not reach).
    if (b.signing.mode === 'redirect' && up.type === 's3' && up.endpoint !== undefined) out.push(warning([...at, 'signing', 'mode'], `signing.mode: redirect sends viewers to https://${ap.host}, the access point's own host, not to upstream.endpoint`));
  }
  if (directoryZoneOf(up) !== undefined && up.type === 's3') {
    // S3 Express One Zone: zonal endpoints are virtual-hosted only, and sessions are SigV4 (service s3express).
    if (signingVersion(up, b.signing) === 'v4a') out.push(error([...at, 'signing', 'version'], 'a directory bucket (S3 Express One Zone) takes SigV4 session auth only: remove signing.version: v4a'));
    if (signingVersion(up, b.signing) === 'v2') {
      const why = b.signing.version === 'v2' ? 'remove signing.version: v2' : "set upstream.region to the bucket's region";
      out.push(error([...at, b.signing.version === 'v2' ? 'signing' : 'upstream', b.signing.version === 'v2' ? 'version' : 'region'], `a directory bucket (S3 Express One Zone) takes SigV4 session auth only: ${why}`));
    }
    if (up.addressing === 'path') out.push(error([...at, 'upstream', 'addressing'], 'a directory bucket (S3 Express One Zone) is addressed by its host only: remove addressing: path'));
  }
  if (sse && 'customerKey' in sse && up.type === 's3') {
    const http = (up.endpoint ?? 'https:').startsWith('http:');
    // S3 refuses SSE-C over plain HTTP (the key would travel in clear text).
    if (http && signingVersion(up, b.signing) === 'v2') out.push(error([...at, 'upstream', 'sse'], 'SSE-C over plain HTTP: the key would cross the network in clear text; use an https:// endpoint'));
    else if (http) out.push(warning([...at, 'upstream', 'sse'], 'SSE-C over plain HTTP sends the key in clear text (S3 refuses it; only a store on a trusted network accepts it)'));
  }
  return out;
}
