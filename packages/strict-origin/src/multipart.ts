/**
 * Multipart-upload helpers: the CompleteMultipartUpload XML body, part
 * validation and the multipart ETag.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
 */
import { createHash } from 'node:crypto';
import { isoDate } from './dates.js';
import { S3Error, xmlEscape } from './s3-errors.js';
import type { PartMeta, Upload } from './store.js';

/** S3's minimum size for every part but the last (5 MiB). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PART_NUMBER = 10000;

export interface RequestedPart {
  partNumber: number;
  etag: string;
}

const malformedXml = (): S3Error =>
  new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');

function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/**
 * Parses `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…`.
 * A deliberately small reader: element order inside <Part> is free, other
 * child elements (checksums) are ignored, namespaces are allowed.
 */
export function parseCompleteXml(xml: string): RequestedPart[] {
  const body = xml.replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/, '').trim();
  const root = /^<CompleteMultipartUpload(?:\s[^>]*)?>([\s\S]*)<\/CompleteMultipartUpload>$/.exec(body);
  if (!root) throw malformedXml();
  const parts: RequestedPart[] = [];
  const inner = (root[1] as string).trim();
  const re = /<Part>([\s\S]*?)<\/Part>\s*/gy;
  let consumed = 0;
  for (let m = re.exec(inner); m; m = re.exec(inner)) {
    consumed = re.lastIndex;
    const p = m[1] as string;
    const num = /<PartNumber>\s*(\d{1,5})\s*<\/PartNumber>/.exec(p);
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(p);
    if (!num || !etag) throw malformedXml();
    parts.push({ partNumber: Number(num[1]), etag: unescapeXml((etag[1] as string).trim()) });
  }
  if (consumed !== inner.length || parts.length === 0) throw malformedXml();
  return parts;
}

const bareEtag = (e: string): string => e.replace(/^"(.*)"$/, '$1').toLowerCase();

/** Checks the requested list against the uploaded parts; returns the parts to concatenate. */
export function selectParts(upload: Upload, requested: readonly RequestedPart[], minPartSize = MIN_PART_SIZE): PartMeta[] {
  const out: PartMeta[] = [];
  let prev = 0;
  for (const r of requested) {
    if (r.partNumber <= prev) {
      throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.');
    }
    prev = r.partNumber;
    const part = upload.parts.get(r.partNumber);
    if (!part || bareEtag(part.etag) !== bareEtag(r.etag)) {
      throw new S3Error(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        [
          ['UploadId', upload.uploadId],
          ['PartNumber', String(r.partNumber)],
          ['ETag', r.etag],
        ],
      );
    }
    out.push(part);
  }
  out.forEach((p, i) => {
    if (i < out.length - 1 && p.size < minPartSize) {
      throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', [
        ['ProposedSize', String(p.size)],
        ['MinSizeAllowed', String(minPartSize)],
        ['PartNumber', String(p.partNumber)],
        ['ETag', p.etag],
      ]);
    }
  });
  return out;
}

/** `"<md5 of the concatenated binary part MD5s>-<part count>"`. */
export function multipartEtag(parts: readonly PartMeta[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(p.md5);
  return `"${h.digest('hex')}-${parts.length}"`;
}

const el = (name: string, value: string): string => `<${name}>${xmlEscape(value)}</${name}>`;
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

export function initiateXml(bucket: string, key: string, uploadId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult ${NS}>${el('Bucket', bucket)}${el('Key', key)}${el('UploadId', uploadId)}</InitiateMultipartUploadResult>`;
}

export function completeXml(location: string, bucket: string, key: string, etag: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult ${NS}>${el('Location', location)}${el('Bucket', bucket)}${el('Key', key)}${el('ETag', etag)}</CompleteMultipartUploadResult>`;
}

export function listPartsXml(upload: Upload, marker: number, maxParts: number): string {
  const all = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const shown = all.slice(0, maxParts);
  const truncated = all.length > shown.length;
  const next = shown.length > 0 ? (shown[shown.length - 1] as PartMeta).partNumber : marker;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult ${NS}>` +
    el('Bucket', upload.bucket) +
    el('Key', upload.key) +
    el('UploadId', upload.uploadId) +
    el('PartNumberMarker', String(marker)) +
    el('NextPartNumberMarker', String(next)) +
    el('MaxParts', String(maxParts)) +
    el('IsTruncated', String(truncated)) +
    '<StorageClass>STANDARD</StorageClass>' +
    shown
      .map(
        (p) =>
          `<Part>${el('PartNumber', String(p.partNumber))}${el('LastModified', isoDate(p.lastModified))}${el('ETag', p.etag)}${el('Size', String(p.size))}</Part>`,
      )
      .join('') +
    '</ListPartsResult>'
  );
}
