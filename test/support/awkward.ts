import fc from 'fast-check';

/**
 * Pieces that broke other signing proxies: reserved and sub-delim characters, `%` and
 * already-encoded-looking text, doubled and trailing slashes, unicode.
 */
export const AWKWARD_PIECES = [
  ' ', '+', '=', '&', '@', ':', '(', ')', '!', '*', "'", '~', '%', '#', '?', ';', ',', '$', '[', ']',
  '%2F', '%20', '%25', '//', '/', 'é', 'ñ', '日本語', '😀', 'ሴ', '\u00a0', 'a b', 'x.y', '-_.~',
  // Names of Object.prototype members: a map keyed by them must not inherit anything.
  'valueOf', 'constructor', '__proto__', 'toString',
];

/** Text made of awkward pieces and random (well-formed) unicode, never empty. */
export const awkwardText = (maxPieces = 10): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...AWKWARD_PIECES), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ maxLength: 8 })), {
      minLength: 1,
      maxLength: maxPieces,
    })
    .map((parts) => parts.join(''))
    .filter((s) => s.length > 0);

/** An object key: awkward text without control characters (the proxy refuses those) or dot segments. */
export const awkwardKey = (): fc.Arbitrary<string> =>
  awkwardText(12)
    .map((k) => k.replace(/[\u0000-\u001f\u007f]/g, '_'))
    .filter((k) => !k.split('/').some((seg) => seg === '.' || seg === '..'));
