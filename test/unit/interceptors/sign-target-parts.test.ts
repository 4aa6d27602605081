// The signer takes the upstream target as parts ({ path, query }) and is the one place that joins
// them: what it signs is the target's path and query as given, and what undici sends is
// `path?query` (presigned: the target's query followed by the signature's). Nothing is split out
// of a joined path, so a key with an encoded `?` (%3F) and a query value with one stay as they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dispatcher } from 'undici';
import type { BlockSigning } from '../../../src/config/types.js';
import { StaticCredentialProvider } from '../../../src/credentials/provider.js';
import { dispatchTarget, type UpstreamTarget } from '../../../src/http/upstream-target.js';
import { signInterceptor, type SignableDispatchOptions, type SigningDebug } from '../../../src/interceptors/sign.js';
import { SigningKeyCache } from '../../../src/signing/v4/signing-key.js';

const TARGET: UpstreamTarget = { path: '/bucket/what%3F.txt', query: 'response-content-disposition=a%3Fb&versionId=3' };
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

function signed(version: BlockSigning['version'], mode: BlockSigning['mode']): { sent: Dispatcher.DispatchOptions; debug: SigningDebug } {
  const signing: BlockSigning = { version, mode, payload: 'unsigned', expires: 300, includeHeaders: [], excludeHeaders: [], service: 's3', uriRule: 's3', regionSet: undefined };
  const credentials = new StaticCredentialProvider('test', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
  const sent: Dispatcher.DispatchOptions[] = [];
  const dispatch = signInterceptor({ signing, region: 'us-east-1', v2Bucket: undefined, credentials, clock: () => NOW, keyCache: new SigningKeyCache() })((opts) => {
    sent.push(opts);
    return true;
  });
  let debug: SigningDebug | undefined;
  const opts: SignableDispatchOptions = { origin: 'http://store.test', method: 'GET', ...dispatchTarget(TARGET), headers: { host: 'store.test' }, body: null, onSigned: (d) => (debug = d) };
  dispatch(opts as Dispatcher.DispatchOptions, { onResponseError: (_c, err) => assert.fail(err) });
  assert.equal(sent.length, 1);
  return { sent: sent[0]!, debug: debug! };
}

test('SigV4 header auth signs the target path and query as given and sends them joined once', () => {
  const { sent, debug } = signed('v4', 'header');
  assert.equal(sent.path, `${TARGET.path}?${TARGET.query}`);
  const lines = debug.canonicalRequest!.split('\n');
  assert.equal(lines[1], TARGET.path, 'canonical URI');
  assert.equal(lines[2], TARGET.query, 'canonical query');
});

test('SigV4 query auth sends the target query before the signature, and signs it', () => {
  const { sent, debug } = signed('v4', 'query');
  assert.ok(sent.path.startsWith(`${TARGET.path}?${TARGET.query}&X-Amz-`), sent.path);
  const lines = debug.canonicalRequest!.split('\n');
  assert.equal(lines[1], TARGET.path, 'canonical URI');
  assert.deepEqual(lines[2]!.split('&').filter((p) => !p.startsWith('X-Amz-')), TARGET.query.split('&'), 'canonical query');
});

test('SigV2 header auth signs the target sub-resources and sends the target joined once', () => {
  const { sent, debug } = signed('v2', 'header');
  assert.equal(sent.path, `${TARGET.path}?${TARGET.query}`);
  assert.ok(debug.stringToSign.endsWith(`\n${TARGET.path}?response-content-disposition=a?b&versionId=3`), debug.stringToSign);
});
