import { XMLParser } from 'fast-xml-parser';
import { decodeForm } from '../http/form-decode.js';

const parser = new XMLParser({ parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: false, isArray: (name) => name === 'Contents' || name === 'CommonPrefixes' });

/** The `ListBucketResult` of a store's ListObjectsV2 / ListObjects answer, or undefined when it is something else. */
export const listBucketResult = (xml: string): Record<string, unknown> | undefined => (parser.parse(xml) as { ListBucketResult?: Record<string, unknown> }).ListBucketResult;

/** A key, prefix or marker of a listing asked with `encoding-type=url` (S3 form-encodes them: a space is `+`). */
export const decodeListValue = (s: unknown): string => decodeForm(String(s ?? ''));

/** Two names in S3's order, UTF-8 bytes (JavaScript's `<` compares UTF-16 units: an emoji before U+FF46): <0, 0 or >0. */
export const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The later of two names in S3's order (compareKeys). */
export const laterKey = (a: string, b: string | undefined): string => (b === undefined || compareKeys(a, b) > 0 ? a : b);
