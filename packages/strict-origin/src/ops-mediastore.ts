/**
 * MediaStore data-plane mode: no buckets, the key is the whole path.
 * https://docs.aws.amazon.com/mediastore/latest/apireference/API_Operations_AWS_Elemental_MediaStore_Data_Plane.html
 *
 * GET/HEAD behave like S3 GetObject/HeadObject (ranges, conditionals); PUT
 * answers MediaStore's JSON ({ContentSHA256, ETag, StorageClass}); DELETE of a
 * missing object is 404 (MediaStore's ObjectNotFoundException; errors stay in
 * S3's XML shape here); `GET /`, `GET /folder/` and `GET /?Path=folder` list
 * the folder like ListItems: {"Items":[{"Name","Type":"OBJECT"|"FOLDER",…}]}.
 */
import type { Exchange } from './exchange.js';
import { getObject, objectInfoFrom } from './ops-object.js';
import { queryGet } from './query.js';
import { S3Error, invalidArgument } from './s3-errors.js';
import { compareUtf8 } from './store.js';

/** The internal bucket that holds a MediaStore container's objects. */
export const MEDIASTORE_BUCKET = '';

export interface ListItem {
  Name: string;
  Type: 'OBJECT' | 'FOLDER';
  ETag?: string;
  LastModified?: number;
  ContentType?: string;
  ContentLength?: number;
}

/** Immediate children of `folder` ("" = root, otherwise "a/b/"). */
export function listFolder(keys: ReadonlyArray<{ key: string; etag: string; lastModified: number; contentType: string; size: number }>, folder: string): ListItem[] {
  const items: ListItem[] = [];
  const seen = new Set<string>();
  for (const o of [...keys].sort((a, b) => compareUtf8(a.key, b.key))) {
    if (!o.key.startsWith(folder)) continue;
    const rest = o.key.slice(folder.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) {
      const name = rest.slice(0, slash);
      if (!seen.has(name)) items.push({ Name: name, Type: 'FOLDER' });
      seen.add(name);
    } else {
      items.push({
        Name: rest,
        Type: 'OBJECT',
        ETag: o.etag.replace(/"/g, ''),
        LastModified: o.lastModified / 1000,
        ContentType: o.contentType,
        ContentLength: o.size,
      });
    }
  }
  return items;
}

export async function mediaStore(x: Exchange, key: string): Promise<void> {
  const method = x.method;
  const pathParam = queryGet(x.params, 'Path');
  if (method === 'GET' && (key === '' || key.endsWith('/') || pathParam !== undefined)) {
    await x.drainBody();
    let folder = pathParam ?? key;
    folder = folder.replace(/^\/+/, '');
    if (folder !== '' && !folder.endsWith('/')) folder += '/';
    const items = listFolder(x.store.list(MEDIASTORE_BUCKET), folder);
    return x.send(200, { 'content-type': 'application/x-amz-json-1.1' }, JSON.stringify({ Items: items }));
  }
  if (key === '' || key.endsWith('/')) {
    if (method === 'PUT') throw invalidArgument('An object path must not end with "/".', 'Path', key);
    throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      return getObject(x, MEDIASTORE_BUCKET, key);
    case 'PUT': {
      const info = objectInfoFrom(x);
      const body = await x.receiveBody({ requireLength: false });
      const etag = `"${body.md5.toString('hex')}"`;
      await x.store.commit(MEDIASTORE_BUCKET, key, body.file, { ...info, size: body.size, etag, lastModified: x.now() });
      return x.send(
        200,
        { 'content-type': 'application/x-amz-json-1.1', etag },
        JSON.stringify({ ContentSHA256: body.sha256Hex, ETag: etag.replace(/"/g, ''), StorageClass: 'TEMPORAL' }),
      );
    }
    case 'DELETE': {
      await x.drainBody();
      if (!x.store.get(MEDIASTORE_BUCKET, key)) {
        throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', [['Key', key]]);
      }
      await x.store.delete(MEDIASTORE_BUCKET, key);
      return x.send(200, { 'content-type': 'application/x-amz-json-1.1' }, '{}');
    }
    default:
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
}
