// `origin-signer presign --config FILE --path /prefix/key`: the printed S3 presigned URL, fetched
// straight from the strict origin (which recomputes the signature), gets the object — for a SigV4
// and a SigV2 block, virtual-hosted and path-style; --expires and --method are honoured. A path no
// block serves, an --expires outside 1–604800, a method the block refuses and a refused key exit
// 2 with a message.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ORIGIN_BUCKET, ORIGIN_KEYS, accessOrigin, pathAndQuery } from '../support/access-fixtures.js';
import { raw } from '../support/origin-client.js';
import { binPath } from '../support/paths.js';
import { blockFor, writeConfig } from '../support/proxy-cli.js';

const OBJECTS = { 'dir/key.txt': 'presigned object\n', 'dir/my file é+1.txt': 'awkward key\n' };

function presign(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(binPath, ['presign', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('presign: the printed URL gets the object straight from the bucket', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const blocks = [
    { path: '/v4v/', version: 'v4', addressing: 'virtual', auth: 'v4-query' },
    { path: '/v4p/', version: 'v4', addressing: 'path', auth: 'v4-query' },
    { path: '/v2v/', version: 'v2', addressing: 'virtual', auth: 'v2-query' },
    { path: '/v2p/', version: 'v2', addressing: 'path', auth: 'v2-query' },
  ] as const;
  const config = writeConfig({
    proxies: blocks.map((b) =>
      blockFor(origin.port, { path: b.path, bucket: ORIGIN_BUCKET, version: b.version, mode: 'header', addressing: b.addressing, credentials: ORIGIN_KEYS }),
    ),
  });

  /** GET (or HEAD) the URL on the origin: connect to 127.0.0.1, Host header from the URL. */
  async function fetchDirect(url: string, method = 'GET') {
    const host = /^http:\/\/([^/]+)\//.exec(url)?.[1];
    assert.ok(host, url);
    assert.equal(host.split(':').at(-1), String(origin.port), 'the URL names the origin itself, not the proxy');
    return raw(origin.port, { method, path: pathAndQuery(url), headers: { host } });
  }

  for (const b of blocks) {
    await t.test(`${b.version} ${b.addressing}-style`, async () => {
      for (const [viewerPath, key] of [
        [`${b.path}dir/key.txt`, 'dir/key.txt'],
        [`${b.path}dir/my%20file%20%C3%A9%2B1.txt`, 'dir/my file é+1.txt'],
      ] as const) {
        const r = presign(['--config', config, '--path', viewerPath, '--expires', '600']);
        assert.equal(r.status, 0, r.stderr);
        const url = r.stdout.trim();
        assert.equal(r.stdout, `${url}\n`, 'one line');
        if (b.addressing === 'virtual') assert.match(url, new RegExp(`^http://${ORIGIN_BUCKET}\\.localhost:${origin.port}/dir/`));
        else assert.match(url, new RegExp(`^http://localhost:${origin.port}/${ORIGIN_BUCKET}/dir/`));
        if (b.version === 'v4') {
          assert.match(url, /[?&]X-Amz-Expires=600(&|$)/);
          assert.match(url, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
        } else {
          const expires = Number(/[?&]Expires=(\d+)/.exec(url)?.[1]);
          assert.ok(Math.abs(expires - (Math.floor(Date.now() / 1000) + 600)) < 30, `Expires ${expires}`);
          assert.match(url, new RegExp(`AWSAccessKeyId=${ORIGIN_KEYS.accessKeyId}`));
        }
        assert.ok(!url.includes(ORIGIN_KEYS.secretAccessKey) && !url.includes(encodeURIComponent(ORIGIN_KEYS.secretAccessKey)), 'no secret in the URL');

        const before = origin.requests.length;
        const res = await fetchDirect(url);
        assert.equal(res.status, 200, `${url}\n${res.text.slice(0, 500)}`);
        assert.equal(res.text, OBJECTS[key]);
        assert.equal(origin.requests.length, before + 1);
        assert.equal(origin.requests.at(-1)!.auth, b.auth);
      }
      // --method HEAD signs a HEAD; the same URL does not work for a GET.
      const head = presign(['--config', config, '--path', `${b.path}dir/key.txt`, '--method', 'HEAD']).stdout.trim();
      assert.equal((await fetchDirect(head, 'HEAD')).status, 200);
      assert.equal((await fetchDirect(head, 'GET')).status, 403, 'a HEAD signature is not a GET signature');
    });
  }

  await t.test('--expires-at: a time instead of a number of seconds', async () => {
    const at = Math.floor(Date.now() / 1000) + 900;
    const r = presign(['--config', config, '--path', '/v2p/dir/key.txt', '--expires-at', String(at)]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.endsWith('\n'));
    assert.equal(Number(/[?&]Expires=(\d+)/.exec(r.stdout)?.[1]), at);
    assert.equal((await fetchDirect(r.stdout.trim())).status, 200);
  });

  await t.test('a tampered URL is refused by the bucket (the origin really checks)', async () => {
    const url = presign(['--config', config, '--path', '/v4v/dir/key.txt']).stdout.trim();
    assert.equal((await fetchDirect(url.replace('/dir/key.txt', '/dir/my%20file%20%C3%A9%2B1.txt'))).status, 403);
  });

  const refusals: Array<[string, string[], RegExp, string | undefined]> = [
    ['a path no block serves', ['--path', '/nope/key.txt'], /no proxy block serves \/nope\/key\.txt/, undefined],
    ['--expires 0', ['--path', '/v4v/dir/key.txt', '--expires', '0'], /--expires must be 1 to 604800 seconds/, undefined],
    ['--expires 604801', ['--path', '/v4v/dir/key.txt', '--expires', '604801'], /--expires must be 1 to 604800 seconds/, undefined],
    ['a key with a .. segment', ['--path', '/v4v/dir/../key.txt'], /'\.\.' segment/, undefined],
    ['--expires that is not a number', ['--path', '/v4v/dir/key.txt', '--expires', 'soon'], /--expires is a number of seconds/, undefined],
    ['an epoch time given to --expires', ['--path', '/v4v/dir/key.txt', '--expires', String(Math.floor(Date.now() / 1000) + 600)], /looks like an epoch time.*--expires-at/, undefined],
    ['--expires-at past the 7-day limit', ['--path', '/v4v/dir/key.txt', '--expires-at', new Date(Date.now() + 8 * 86_400_000).toISOString()], /--expires-at must be 1 s to 7 days from now/, undefined],
    // The block allows GET and HEAD only: a direct link must not grant what the proxy refuses.
    ['a method the block does not allow', ['--path', '/v4v/dir/key.txt', '--method', 'PUT'], /the block \/v4v\/ does not allow PUT \(its methods: GET, HEAD\)/, undefined],
    ['a method S3 does not have', ['--path', '/v4v/dir/key.txt', '--method', 'patch'], /does not allow PATCH/, undefined],
  ];
  for (const [what, args, message, todo] of refusals) {
    await t.test(`exit 2 with a message: ${what}`, todo ? { todo } : {}, () => {
      const r = presign(['--config', config, ...args]);
      assert.equal(r.stdout, '', 'no URL printed');
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /unexpected error|\n\s+at /, 'a message, not a stack trace');
      assert.equal(r.status, 2, r.stderr);
    });
  }
});
