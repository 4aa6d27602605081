import { loadConfigFile } from '../config/load.js';
import { CredentialRegistry } from '../credentials/providers.js';
import type { Logger } from '../log/logger.js';
import { decodeObjectKey } from '../proxy/object-key.js';
import { createRouter } from '../proxy/router.js';
import { toAmzDate } from '../signing/amz-date.js';
import { EMPTY_SHA256 } from '../signing/hash.js';
import { UNSIGNED_PAYLOAD } from '../signing/types.js';
import { uriEncodePath } from '../signing/uri-encode.js';
import { presignV2 } from '../signing/v2/sign.js';
import { presignV4 } from '../signing/v4/presign.js';

export interface PresignArgs {
  readonly config: string;
  readonly path: string;
  readonly expires: number;
  readonly method: string;
  readonly now: () => number;
  readonly log: Logger;
}

/**
 * `origin-signer presign`: a presigned URL straight to the block's bucket (SigV4 query, or SigV2
 * for a v2 block), with the block's credentials — for handing out a direct link deliberately.
 */
export async function presignCommand(a: PresignArgs): Promise<string> {
  const { config } = loadConfigFile(a.config, { now: a.now });
  const route = createRouter(config.proxies)(a.path);
  if (!route) throw new Error(`no proxy block serves ${a.path}`);
  const block = route.block;
  const key = decodeObjectKey(route.rest, block.keyPrefix);
  if ('error' in key) throw new Error(`${a.path}: ${key.detail}`);
  if (a.expires < 1 || a.expires > 604800) throw new Error('--expires must be 1 to 604800 seconds');
  const registry = new CredentialRegistry({ log: a.log, clock: a.now });
  try {
    const { providers, fresh } = registry.prepare(config);
    await Promise.all(fresh.map((p) => p.start()));
    const credentials = await providers.get(block.credentials.name)!.get();
    const path = `${block.basePath}${uriEncodePath(key.key)}`;
    const req = { method: a.method, path, query: '', headers: [['host', block.host]] as const };
    const now = a.now();
    const query =
      block.signing.version === 'v4'
        ? presignV4(req, credentials, { region: block.region ?? '', service: block.signing.service, uriRule: block.signing.uriRule }, {
            amzDate: toAmzDate(now),
            expires: a.expires,
            payloadHash: block.signing.service === 's3' ? UNSIGNED_PAYLOAD : EMPTY_SHA256,
          }).query
        : presignV2(req, credentials, { bucket: block.v2Bucket, expiresEpoch: Math.floor(now / 1000) + a.expires }).query;
    return `${block.origin}${path}?${query}\n`;
  } finally {
    registry.close();
  }
}
