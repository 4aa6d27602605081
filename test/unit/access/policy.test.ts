// The pieces a CloudFront policy is judged with: Resource wildcards (`*` any run, `?` one
// character, everything else literal — regex metacharacters included), AWS:SourceIp ranges (IPv4,
// IPv6, a bare address as /32 or /128, never across families), the policy shapes CloudFront refuses
// (no statement, two statements, no DateLessThan, an epoch that is not an integer) and text that is
// not CloudFront base64.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromCloudFrontBase64 } from '../../../src/access/cloudfront-base64.js';
import { ipInRange, parsePolicy, resourceMatches } from '../../../src/access/policy.js';

const H = 'https://d111111abcdef8.cloudfront.net';

describe('resourceMatches', () => {
  test('no wildcard: the whole URL, exactly', () => {
    assert.ok(resourceMatches(`${H}/a/b.mp4`, `${H}/a/b.mp4`));
    assert.ok(!resourceMatches(`${H}/a/b.mp4`, `${H}/a/b.mp4x`), 'anchored at the end');
    assert.ok(!resourceMatches(`${H}/a/b.mp4`, `x${H}/a/b.mp4`), 'anchored at the start');
    assert.ok(!resourceMatches(`${H}/a/b.mp4`, `${H}/A/B.MP4`), 'case-sensitive');
    assert.ok(!resourceMatches(`${H}/a/b.mp4`, `${H}/a/b.mp4?x=1`), 'a query is part of the URL');
  });

  test('* matches any run of characters, none and slashes included', () => {
    assert.ok(resourceMatches(`${H}/a/*`, `${H}/a/`));
    assert.ok(resourceMatches(`${H}/a/*`, `${H}/a/b/c/d.ts`));
    assert.ok(resourceMatches(`${H}/a/*`, `${H}/a/b.ts?x=1&y=2`));
    assert.ok(!resourceMatches(`${H}/a/*`, `${H}/b/a/c`));
    assert.ok(resourceMatches(`${H}/*.m3u8`, `${H}/live/x/index.m3u8`));
    assert.ok(!resourceMatches(`${H}/*.m3u8`, `${H}/live/x/index.m3u8.bak`));
    assert.ok(resourceMatches('*', 'anything at all'));
    assert.ok(resourceMatches(`https://*/a.jpg`, 'https://other.example/a.jpg'));
    assert.ok(resourceMatches(`${H}/a*b*c`, `${H}/a--b--c`));
  });

  test('? matches exactly one character', () => {
    assert.ok(resourceMatches(`${H}/seg?.ts`, `${H}/seg1.ts`));
    assert.ok(resourceMatches(`${H}/seg?.ts`, `${H}/seg/.ts`));
    assert.ok(!resourceMatches(`${H}/seg?.ts`, `${H}/seg.ts`), 'not zero');
    assert.ok(!resourceMatches(`${H}/seg?.ts`, `${H}/seg12.ts`), 'not two');
    assert.ok(resourceMatches(`${H}/seg??.ts`, `${H}/seg12.ts`));
  });

  test('regex metacharacters are literal', () => {
    const cases: Array<[string, string, string]> = [
      ['/a.b', '/a.b', '/axb'],
      ['/a+b', '/a+b', '/aab'],
      ['/(a|b)', '/(a|b)', '/a'],
      ['/[ab]', '/[ab]', '/a'],
      ['/a{2}', '/a{2}', '/aa'],
      ['/^a$', '/^a$', '/a'],
      ['/a\\d', '/a\\d', '/a1'],
      ['/a.*', '/a.xyz', '/abxyz'],
    ];
    for (const [pattern, matching, other] of cases) {
      assert.ok(resourceMatches(`${H}${pattern}`, `${H}${matching}`), `${pattern} ~ ${matching}`);
      assert.ok(!resourceMatches(`${H}${pattern}`, `${H}${other}`), `${pattern} !~ ${other}`);
    }
  });
});

describe('ipInRange', () => {
  test('IPv4 CIDR', () => {
    assert.ok(ipInRange('10.1.2.3', '10.0.0.0/8'));
    assert.ok(ipInRange('10.255.255.255', '10.0.0.0/8'));
    assert.ok(!ipInRange('11.0.0.0', '10.0.0.0/8'));
    assert.ok(!ipInRange('9.255.255.255', '10.0.0.0/8'));
    assert.ok(ipInRange('192.168.0.255', '192.168.0.0/24'));
    assert.ok(!ipInRange('192.168.1.0', '192.168.0.0/24'));
    assert.ok(ipInRange('203.0.113.7', '0.0.0.0/0'));
    assert.ok(ipInRange('203.0.113.7', '203.0.113.7/32'));
    assert.ok(!ipInRange('203.0.113.8', '203.0.113.7/32'));
  });

  test('IPv6 CIDR', () => {
    assert.ok(ipInRange('2001:db8::1', '2001:db8::/32'));
    assert.ok(ipInRange('2001:db8:ffff:ffff::1', '2001:db8::/32'));
    assert.ok(ipInRange('2001:DB8::1', '2001:db8::/32'), 'hex case does not matter');
    assert.ok(!ipInRange('2001:db9::1', '2001:db8::/32'));
    assert.ok(ipInRange('::1', '::1/128'));
    assert.ok(ipInRange('2001:db8::1', '::/0'));
  });

  test('a bare address is /32 or /128', () => {
    assert.ok(ipInRange('203.0.113.7', '203.0.113.7'));
    assert.ok(!ipInRange('203.0.113.6', '203.0.113.7'));
    assert.ok(ipInRange('2001:db8::7', '2001:db8::7'));
    assert.ok(ipInRange('2001:db8:0:0::7', '2001:db8::7'), 'another spelling of the same address');
    assert.ok(!ipInRange('2001:db8::8', '2001:db8::7'));
  });

  test('mismatched families never match', () => {
    assert.ok(!ipInRange('2001:db8::1', '10.0.0.0/8'));
    assert.ok(!ipInRange('2001:db8::1', '0.0.0.0/0'));
    assert.ok(!ipInRange('10.0.0.1', '2001:db8::/32'));
    assert.ok(!ipInRange('10.0.0.1', '2001:db8::1'));
  });

  test('an IPv4 viewer is not in the IPv6 range ::/0', {}, () => {
    assert.ok(!ipInRange('10.0.0.1', '::/0'));
  });

  test('what is not an address never matches', () => {
    assert.ok(!ipInRange('', '0.0.0.0/0'));
    assert.ok(!ipInRange('not-an-ip', '0.0.0.0/0'));
    assert.ok(!ipInRange('10.0.0.1', 'nope/8'));
    assert.ok(!ipInRange('10.0.0.1', ''));
  });

  test('a malformed prefix length neither throws nor widens the range', {}, () => {
    for (const range of ['10.0.0.0/33', '10.0.0.0/abc', '10.0.0.0/-1', '2001:db8::/129']) {
      assert.doesNotThrow(() => ipInRange('10.0.0.1', range), range);
      assert.equal(ipInRange('10.0.0.1', range), false, range);
    }
    assert.equal(ipInRange('192.0.2.1', '10.0.0.0/'), false, 'an empty prefix is not /0');
    assert.equal(ipInRange('10.0.0.1', '10.0.0.0/8/9'), false, 'two prefixes');
    assert.equal(ipInRange('10.0.0.1', '10.0.0.0/ 8'), false, 'a prefix with a space');
  });
});

describe('parsePolicy', () => {
  const ok = (condition: string, extra = ''): string => `{"Statement":[{"Resource":"${H}/*",${extra}"Condition":{${condition}}}]}`;

  test('a policy CloudFront accepts', () => {
    assert.deepEqual(parsePolicy(ok('"DateLessThan":{"AWS:EpochTime":1767290400},"DateGreaterThan":{"AWS:EpochTime":1767200000},"IpAddress":{"AWS:SourceIp":"10.0.0.0/8"}')), {
      resource: `${H}/*`,
      dateLessThan: 1767290400,
      dateGreaterThan: 1767200000,
      sourceIp: '10.0.0.0/8',
    });
    assert.deepEqual(parsePolicy('{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":5}}}]}'), { resource: undefined, dateLessThan: 5, dateGreaterThan: undefined, sourceIp: undefined });
  });

  test('refusals', () => {
    const refused: Record<string, string> = {
      'not JSON': '{"Statement":',
      'JSON null': 'null',
      'no Statement': '{"Condition":{"DateLessThan":{"AWS:EpochTime":5}}}',
      'Statement not a list': '{"Statement":{"Condition":{"DateLessThan":{"AWS:EpochTime":5}}}}',
      'no statement': '{"Statement":[]}',
      'two statements': `{"Statement":[{"Resource":"${H}/a","Condition":{"DateLessThan":{"AWS:EpochTime":5}}},{"Resource":"${H}/b","Condition":{"DateLessThan":{"AWS:EpochTime":5}}}]}`,
      'no Condition': `{"Statement":[{"Resource":"${H}/a"}]}`,
      'no DateLessThan': ok('"DateGreaterThan":{"AWS:EpochTime":5}'),
      'DateLessThan without AWS:EpochTime': ok('"DateLessThan":{"EpochTime":5}'),
      'epoch as a string': ok('"DateLessThan":{"AWS:EpochTime":"1767290400"}'),
      'epoch as a fraction': ok('"DateLessThan":{"AWS:EpochTime":1767290400.5}'),
      'epoch as a boolean': ok('"DateLessThan":{"AWS:EpochTime":true}'),
      'Resource not a string': `{"Statement":[{"Resource":["${H}/a"],"Condition":{"DateLessThan":{"AWS:EpochTime":5}}}]}`,
      'SourceIp not a string': ok('"DateLessThan":{"AWS:EpochTime":5},"IpAddress":{"AWS:SourceIp":["10.0.0.0/8"]}'),
    };
    for (const [what, json] of Object.entries(refused)) assert.equal(parsePolicy(json), undefined, what);
  });

  test('a malformed AWS:SourceIp is refused', {}, () => {
    for (const ip of ['1.2.3.4/', '10.0.0.0/33', '10.0.0.0/abc', 'example.com', '10.0.0.0/8/9']) {
      assert.equal(parsePolicy(ok(`"DateLessThan":{"AWS:EpochTime":5},"IpAddress":{"AWS:SourceIp":"${ip}"}`)), undefined, ip);
    }
  });
});

describe('fromCloudFrontBase64', () => {
  test('decodes both alphabets', () => {
    assert.deepEqual(fromCloudFrontBase64('-~8_'), Buffer.from('fbff', 'hex'));
    assert.deepEqual(fromCloudFrontBase64('+/8='), Buffer.from('fbff', 'hex'));
    assert.deepEqual(fromCloudFrontBase64(''), Buffer.alloc(0));
  });

  test('refuses what is not base64', () => {
    for (const text of ['YQ', 'YWJjZ', 'a b=', 'YW!j', 'YWJj\n', 'Y_Q_', 'YQ___', '====', 'YWJj%3D', 'éééé']) {
      assert.equal(fromCloudFrontBase64(text), undefined, JSON.stringify(text));
    }
  });
});
