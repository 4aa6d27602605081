// An S3 client's whole listing of a bucket, page after page, as the AWS SDK for JavaScript pages it:
// ListObjectsV2 by continuation token, ListObjects by NextMarker (or the page's last key without a delimiter).
import { ListObjectsCommand, ListObjectsV2Command, type ListObjectsV2CommandInput, type S3Client } from '@aws-sdk/client-s3';

/** Form-decoded: the SDK leaves encoding-type=url values as the store wrote them. */
const formDecode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));

/** Every key ListObjectsV2 gives, following continuation tokens; `check` sees each page. */
export async function listV2Keys(s3: S3Client, input: ListObjectsV2CommandInput, check: (page: { Name?: string; KeyCount?: number; count: number }) => void = () => undefined): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ ...input, ContinuationToken: token }));
    const contents = page.Contents ?? [];
    check({ ...(page.Name === undefined ? {} : { Name: page.Name }), ...(page.KeyCount === undefined ? {} : { KeyCount: page.KeyCount }), count: contents.length + (page.CommonPrefixes ?? []).length });
    keys.push(...contents.map((o) => (input.EncodingType ? formDecode(o.Key!) : o.Key!)));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** Every key ListObjects gives, `maxKeys` a page, following markers. */
export async function listV1Keys(s3: S3Client, bucket: string, maxKeys: number): Promise<string[]> {
  const keys: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: maxKeys, Marker: marker }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    if (!page.IsTruncated) return keys;
    marker = page.NextMarker ?? keys.at(-1);
  }
}
