import type { IncomingMessage } from 'node:http';
import { drainThenEnd } from '../drain.js';
import { viewerErrorXml } from '../s3-error.js';
import { writeXmlAnswer, type StoreErrorContext } from '../store-error-answer.js';

/**
 * CreateBucket (`PUT /live`) on a block S3 clients list: the bucket is there and the viewer may use
 * it, which S3 says with 409 BucketAlreadyOwnedByYou (S3 API Reference, CreateBucket) — an answer
 * rclone's bucket check and the SDKs' "make sure it exists" steps take as done. Nothing reaches
 * the store; a CreateBucketConfiguration body is read and dropped.
 */
export function answerCreateBucket(c: StoreErrorContext, req: IncomingMessage): void {
  const name = c.block.path.slice(1, -1);
  writeXmlAnswer(c, 409, viewerErrorXml('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', c.x.id, [['BucketName', name]]));
  drainThenEnd(req, c.res);
}
