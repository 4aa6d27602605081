/**
 * The table of awkward keys every end-to-end suite runs through the proxy: the characters that
 * broke other signing proxies. Each key is stored directly in the bucket, then fetched through the
 * proxy under every signing mode.
 */
export const AWKWARD_KEYS: readonly string[] = [
  'plain.txt',
  'with space.mp4',
  'plus+sign.ts',
  'equals=and&ampersand.txt',
  'at@sign:colon.txt',
  'parens (1).txt',
  "bang!star*quote'.txt",
  'tilde~user.txt',
  'percent%25literal%20text.txt',
  'percent 100%.txt',
  'hash#frag.txt',
  'question?mark.txt',
  'semi;comma,.txt',
  'dollar$sign.txt',
  'brackets[0]{1}.txt',
  'caret^pipe|backtick`.txt',
  '"quotes"<lt>gt.txt',
  'backslash\\file.txt',
  'nbsp\u00a0space.txt',
  'unicode/vidéo/日本語 ファイル.ts',
  'emoji 😀.txt',
  'double//slash///file.txt',
  'trailing/slash/',
  'a%2Fb literal.txt',
  '..dots../x..y',
  'sub.dir/.hidden',
  `long/${'k'.repeat(1000)}`,
];

/**
 * How a viewer may spell a key in a URL: fully encoded (every byte but unreserved), or with only
 * what RFC 3986 §3.3 forces (a browser leaves sub-delims, `:` and `@` alone). Both must reach the
 * same object.
 */
export function minimalEncode(key: string): string {
  return key
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/%(21|24|26|27|28|29|2A|2B|2C|3A|3B|3D|40)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))))
    .join('/');
}
