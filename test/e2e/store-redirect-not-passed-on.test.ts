// Regression "presigned credentials in redirects": a store's 301/307 Location was passed through;
// on `mode: query` blocks it carried X-Amz-Credential, X-Amz-Security-Token and X-Amz-Signature
// (SigV2: AWSAccessKeyId, Signature), a URL valid for signing.expires. A redirect from the store
// is now never passed on: 502 OS_ERR_UPSTREAM_REDIRECT, no Location, nothing of the store's body.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { raw } from '../support/origin-client.js';
import { BUCKET, TEMP_KEYS } from '../support/modes-fixture.js';
import { blockFor, SIGNING_MODES, startProxyCli } from '../support/proxy-cli.js';
import { waitFor } from '../support/wait-for.js';

/** A store that moved: it answers every request with a redirect to itself elsewhere, echoing the signed URL as S3 does. */
async function movedStore(status: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const location = `https://${BUCKET}.s3.eu-west-3.amazonaws.com${req.url}`;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Endpoint>${BUCKET}.s3.eu-west-3.amazonaws.com</Endpoint><Bucket>${BUCKET}</Bucket><RequestId>R1</RequestId><HostId>h</HostId><Location>${location.replace(/&/g, '&amp;')}</Location><Authorization>${String(req.headers.authorization ?? '')}</Authorization></Error>`;
    res.writeHead(status, { location, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-bucket-region': 'eu-west-3' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

for (const status of [301, 307]) {
  test(`a store's ${status} is answered 502 OS_ERR_UPSTREAM_REDIRECT, its Location never passed on`, { timeout: 60_000 }, async (t) => {
    const store = await movedStore(status);
    t.after(() => store.close());
    const proxy = await startProxyCli(t, {
      server: { host: '127.0.0.1', port: 0 },
      proxies: SIGNING_MODES.map(({ version, mode }) => blockFor(store.port, { path: `/${version}-${mode}/`, bucket: BUCKET, version, mode, credentials: TEMP_KEYS })),
    });
    for (const { version, mode } of SIGNING_MODES) {
      for (const method of ['GET', 'HEAD']) {
        const res = await raw(proxy.port, { method, path: `/${version}-${mode}/video.mp4` });
        assert.equal(res.status, 502, `${version} ${mode} ${method}`);
        assert.equal(res.headers.location, undefined, 'no Location');
        if (method === 'GET') assert.equal(JSON.parse(res.text).error, 'OS_ERR_UPSTREAM_REDIRECT');
        const all = res.text + JSON.stringify(res.headers);
        assert.doesNotMatch(all, /X-Amz-|AWSAccessKeyId|Signature|amazonaws|Authorization/i);
        for (const s of [TEMP_KEYS.accessKeyId, TEMP_KEYS.sessionToken]) assert.ok(!all.includes(s));
      }
    }
    // Access lines are written in batches: wait for them.
    await waitFor(() => proxy.logs().some((l) => l.error === 'OS_ERR_UPSTREAM_REDIRECT'), 'the access line naming the refusal');
  });
}
