/**
 * A query name or value as application/x-www-form-urlencoded reads it: `+` is a space, `%XX` a
 * byte of UTF-8 (browsers and CDNs write viewer queries so; S3 writes `encoding-type=url` values
 * so). Throws on invalid percent-encoding, as decodeURIComponent does.
 */
export const decodeForm = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
