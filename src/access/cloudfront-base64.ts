/**
 * CloudFront's URL-safe base64: standard base64 with `+` → `-`, `=` → `_`, `/` → `~`
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-linux-openssl.html).
 */
export function toCloudFrontBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');
}

/** Decodes CloudFront base64; undefined when the text is not base64 in either alphabet. */
export function fromCloudFrontBase64(text: string): Buffer | undefined {
  const standard = text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard) || standard.length % 4 !== 0) return undefined;
  return Buffer.from(standard, 'base64');
}
