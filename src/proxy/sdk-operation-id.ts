/**
 * The AWS SDKs built from the Smithy S3 model (JavaScript v3, Go v2, Rust, …) add `x-id=<operation>`
 * to object requests (`GET /k?x-id=GetObject`) only to tell the model's URI patterns apart; S3 picks
 * the operation from the method, the sub-resources and the headers, never from `x-id`. An `x-id`
 * naming an operation the request's method performs on one key is dropped; any other is refused.
 */
const OPERATIONS_OF: Readonly<Record<string, ReadonlySet<string>>> = {
  GET: new Set(['GetObject', 'ListParts']),
  HEAD: new Set(['HeadObject']),
  PUT: new Set(['PutObject', 'UploadPart']),
  POST: new Set(['CreateMultipartUpload', 'CompleteMultipartUpload']),
  DELETE: new Set(['DeleteObject', 'AbortMultipartUpload']),
};

/** `drop` when `x-id=value` names an operation of `method`, else `refuse`. */
export const sdkOperationIdVerdict = (method: string, value: string | undefined): 'drop' | 'refuse' =>
  value !== undefined && OPERATIONS_OF[method]?.has(value) ? 'drop' : 'refuse';

/** A bucket listing's (README "Listing a block like a bucket"): ListObjectsV2 or ListObjects. */
const LISTINGS: ReadonlySet<string> = new Set(['ListObjectsV2', 'ListObjects']);

/** `drop` when `x-id=value` names one of the two listings, else `refuse`. */
export const listingOperationIdVerdict = (value: string): 'drop' | 'refuse' => (LISTINGS.has(value) ? 'drop' : 'refuse');
