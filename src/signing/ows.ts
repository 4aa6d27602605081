/**
 * The white space signers trim from header values: SP and HTAB (RFC 9110 §5.6.3 OWS), and CR LF
 * of folded lines. Not JavaScript's `trim()`/`\s`, which also remove 0xA0 and other Unicode
 * spaces that stores keep, so a signature would not match what was sent.
 */
export const trimOws = (value: string): string => value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
