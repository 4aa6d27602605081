// The request-path property's I3 on a request the proxy signed (the property's test file says what I3 is).
import type { RecordedRequest } from '@origin-signer/strict-origin';
import type { ViewerRequest } from './arbitraries.js';
import { PRESIGN_EXPIRES, type Block } from './fixture.js';
import { AUTH_PARAM_NAMES, WRITE, type ProxyAuth } from './model.js';

/** Records one violation: its kind (`I<n>:<class>`) and detail. */
export type Add = (kind: string, detail: string) => void;

/** I3 for a request the proxy signed: its own credentials, in the header or the presigned parameters its mode puts them in, and no viewer's. */
export function checkCredentials(r: ViewerRequest, block: Block, o: RecordedRequest, oParams: ReadonlyArray<{ key: string; value: string }>, auth: ProxyAuth, presigned: boolean, add: Add): void {
  // I3: headers. Signing headers carry the proxy's values; no other x-amz-* but what writes store.
  const authorization = o.headers.authorization;
  if (block.mode === 'header') {
    if (typeof authorization !== 'string' || !auth.ownAuthorization(authorization)) add('I3:viewer-credential-forwarded', `authorization ${JSON.stringify(String(authorization).slice(0, 60))}`);
    const token = o.headers[auth.tokenHeader];
    if (!auth.ownToken(typeof token === 'string' ? token : undefined)) add('I3:viewer-credential-forwarded', `${auth.tokenHeader} ${JSON.stringify(String(token).slice(0, 40))}`);
  } else {
    if (authorization !== undefined) add('I3:viewer-credential-forwarded', `authorization in query mode: ${JSON.stringify(String(authorization).slice(0, 60))}`);
    if (o.headers[auth.tokenHeader] !== undefined) add('I3:viewer-credential-forwarded', `${auth.tokenHeader} header in query mode`);
  }
  for (const name of Object.keys(o.headers)) {
    if (name === 'cookie' || name === 'proxy-authorization') add('I3:viewer-credential-forwarded', name);
    // The proxy's own signing headers, never with a value the viewer sent for them.
    const sentByViewer = r.headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value.trim());
    if (auth.signingHeaders.has(name) && sentByViewer.includes(String(o.headers[name]).trim())) add('I3:viewer-credential-forwarded', `${name}: the viewer's value`);
    if (!name.startsWith('x-amz-') || auth.signingHeaders.has(name)) continue;
    const stored = WRITE.has(o.method) && (name.startsWith('x-amz-meta-') || name.startsWith('x-amz-checksum-') || name === 'x-amz-storage-class' || (name === 'x-amz-server-side-encryption' && o.headers[name] === 'AES256'));
    if (!stored) add('I3:control-header-forwarded', `${name} on ${o.method}`);
  }
  // I3: query. Header mode: no signing parameter at all; query mode: each once, the proxy's.
  for (const p of oParams) {
    if (!AUTH_PARAM_NAMES.has(p.key.toLowerCase())) continue;
    const own = presigned && auth.query.includes(p.key);
    if (!own) add('I3:viewer-credential-forwarded', `query parameter ${p.key}`);
  }
  if (presigned) {
    const value = (k: string): string | undefined => oParams.find((p) => p.key === k)?.value;
    for (const n of auth.query) if (oParams.filter((p) => p.key === n).length !== 1) add('I3:viewer-credential-forwarded', `${n} appears ${oParams.filter((p) => p.key === n).length} times`);
    const cred = value(auth.credentialParam) ?? '';
    if (!auth.ownCredential(cred)) add('I3:viewer-credential-forwarded', `${auth.credentialParam} ${JSON.stringify(cred.slice(0, 60))}`);
    if (!auth.ownToken(value(auth.tokenParam))) add('I3:viewer-credential-forwarded', `${auth.tokenParam} is not the proxy's`);
    // The lifetime is the block's (a viewer's X-Amz-Expires=604800 would outlive it), the algorithm the scheme's.
    if (auth.algorithm) {
      if (value('X-Amz-Expires') !== String(PRESIGN_EXPIRES)) add('I3:viewer-expiry-signed', `X-Amz-Expires=${String(value('X-Amz-Expires'))}`);
      if (value('X-Amz-Algorithm') !== auth.algorithm) add('I3:viewer-credential-forwarded', `X-Amz-Algorithm=${String(value('X-Amz-Algorithm'))}`);
    } else {
      const left = Number(value('Expires')) - Date.now() / 1000;
      if (!(left > 0 && left <= PRESIGN_EXPIRES + 1)) add('I3:viewer-expiry-signed', `Expires=${String(value('Expires'))}, ${left.toFixed(0)} s from now`);
    }
  }
}
