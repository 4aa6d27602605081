// Issue #20, README "Static sites and browsers": what `check` says of site, cors, hosts and
// query.allow — the contradictions (spaFallback without index, credentials: true with the origin
// "*", site on a MediaStore block), origin and host patterns that cannot be what was meant, and
// blocks sharing a path: allowed for different hosts, refused for the same host (case aside) or
// for two blocks without hosts. Each problem names its YAML path and line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { checkConfigText } from '../../src/config/load.js';
import { formatPath } from '../../src/config/problems.js';
import { binPath } from '../support/paths.js';

const HEAD = `credentials:
  reader: { accessKeyId: AKIDSITECONFIG001, secretAccessKey: site-config-secret-0001 }
proxies:
`;
/** A block at `path` (3 lines), plus `more` lines indented under it. */
const block = (path: string, more = '', upstream = '{ bucket: site-bucket, region: us-east-1 }'): string => `  - path: ${path}
    upstream: ${upstream}
    credentials: reader
${more}`;

/** [yaml after HEAD, expected problems as [path, line, message pattern]]: lines count from HEAD's first. */
const CASES: Record<string, [string, Array<[string, number, RegExp]>]> = {
  'spaFallback without index': [block('/app/', '    site: { spaFallback: /index.html }\n'), [['proxies[0].site.spaFallback', 7, /spaFallback needs site\.index/]]],
  'credentials: true with the origin *': [
    block('/vod/', '    cors:\n      origins: ["*"]\n      credentials: true\n'),
    [['proxies[0].cors.origins', 8, /credentials: true cannot go with the origin "\*": list the origins/]],
  ],
  'site on a MediaStore block': [
    block('/ms/', '    site: { index: index.html }\n', '{ type: mediastore, endpoint: "https://abc.data.mediastore.us-east-1.amazonaws.com", region: us-east-1 }'),
    [['proxies[0].site', 7, /site: serves S3 buckets; a MediaStore block lists its folders itself/]],
  ],
  'origin patterns': [
    block('/vod/', '    cors:\n      origins:\n        - https://a.*.example.org\n        - https://*.*.example.org\n        - ftp://example.org\n        - https://example.org/\n        - example.org\n        - https://*\n'),
    // A misplaced wildcard is said to be one, besides the origin's shape.
    [
      ['proxies[0].cors.origins[0]', 9, /an origin: scheme:\/\/host\[:port\], a leading \*\. for one label, or \*/],
      ['proxies[0].cors.origins[0]', 9, /a wildcard matches one leading label only/],
      ['proxies[0].cors.origins[1]', 10, /an origin/],
      ['proxies[0].cors.origins[1]', 10, /a wildcard matches one leading label only/],
      ['proxies[0].cors.origins[2]', 11, /an origin/],
      ['proxies[0].cors.origins[3]', 12, /an origin/],
      ['proxies[0].cors.origins[4]', 13, /an origin/],
      ['proxies[0].cors.origins[5]', 14, /an origin/],
      ['proxies[0].cors.origins[5]', 14, /a wildcard matches one leading label only/],
    ],
  ],
  'host patterns': [
    block('/m/', '    hosts:\n      - "*.*.example.com"\n      - a.example.com:8080\n      - exa mple.com\n      - "*"\n      - https://a.example.com\n      - a.*.example.com\n'),
    [
      ['proxies[0].hosts[0]', 8, /a host name such as media\.example\.com or \*\.example\.com \(no port\)/],
      ['proxies[0].hosts[1]', 9, /no port/],
      ['proxies[0].hosts[2]', 10, /a host name/],
      ['proxies[0].hosts[3]', 11, /a host name/],
      ['proxies[0].hosts[4]', 12, /a host name/],
      ['proxies[0].hosts[5]', 13, /a host name/],
    ],
  ],
  'two blocks at one path for the same host (case aside)': [
    block('/media/', '    hosts: [a.example.com, b.example.com]\n') + block('/media/', '    hosts: [c.example.com, B.Example.COM]\n'),
    [['proxies[1].path', 8, /duplicate prefix \/media\/ \(also proxies\[0\]\.path, for the same host\)/]],
  ],
  'two blocks at one path without hosts': [block('/media/') + block('/media/'), [['proxies[1].path', 7, /duplicate prefix \/media\/ \(also proxies\[0\]\.path\)$/]]],
  'errorPages and index that are no object of the block': [
    block('/s/', '    site:\n      index: docs/index.html\n      errorPages: { 404: errors/404.html, 500: /errors/500.html }\n'),
    [
      ['proxies[0].site.index', 8, /index is a file name such as index\.html \(no slash\)/],
      ['proxies[0].site.errorPages.404', 9, /an object of the block, as a path from its root/],
      ['proxies[0].site.errorPages.500', 9, /unknown key "500"/],
    ],
  ],
};

for (const [name, [yaml, expected]] of Object.entries(CASES)) {
  test(`site config: ${name}`, () => {
    const report = checkConfigText(HEAD + yaml, 'site.yaml', { env: {} });
    const got = report.problems.map((p) => [formatPath(p.path), p.line, p.message] as const);
    assert.equal(got.length, expected.length, JSON.stringify(got, null, 1));
    for (const [path, line, message] of expected) {
      const found = got.find(([p, , m]) => p === path && message.test(m));
      assert.ok(found, `${path} ${message} in ${JSON.stringify(got)}`);
      assert.equal(found[1], line, `${path}: line`);
    }
  });
}

test('check accepts blocks sharing a path for different hosts (and one without), and refuses the same host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'os-siteconfig-'));
  try {
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      HEAD +
        block('/media/', '    hosts: [a.example.com, "*.wild.example.com"]\n    site: { index: index.html, spaFallback: /index.html, errorPages: { 404: /errors/404.html } }\n') +
        block('/media/', '    hosts: [b.example.com]\n    cors: { origins: ["https://Player.Example.com", "HTTPS://*.example.org"], credentials: true }\n    query: { allow: [response-content-disposition] }\n') +
        block('/media/'),
    );
    const ok = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(ok.status, 0, ok.stderr);
    const printed = parse(ok.stdout) as { proxies: Array<Record<string, unknown>> };
    assert.deepEqual(printed.proxies.map((b) => b.hosts), [['a.example.com', '*.wild.example.com'], ['b.example.com'], undefined]);
    assert.deepEqual(printed.proxies[0]!.site, { index: 'index.html', listing: false, appendSlash: false, spaFallback: '/index.html', errorPages: { 404: '/errors/404.html' } });
    assert.deepEqual(printed.proxies[1]!.query, { allow: ['response-content-disposition'] });
    // Origins are case-insensitive (a browser sends its own in lower case): capitals are no mistake.
    assert.deepEqual((printed.proxies[1]!.cors as { origins: string[] }).origins, ['https://player.example.com', 'https://*.example.org']);

    writeFileSync(file, HEAD + block('/media/', '    hosts: [a.example.com]\n') + block('/media/', '    hosts: [A.example.com]\n'));
    const refused = spawnSync(binPath, ['check', file], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr + refused.stdout, new RegExp(`${file}:8:\\d+\\s+proxies\\[1\\]\\.path: duplicate prefix /media/ \\(also proxies\\[0\\]\\.path, for the same host\\)`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
