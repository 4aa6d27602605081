import { z } from 'zod';
import { accessSchema } from './access-schema.js';
import { proxySchema } from './block-schema.js';
import { cacheStoresSchema } from './cache-schema.js';
import { credentialSetsSchema } from './credentials-schema.js';
import { logSchema, readinessSchema, serverSchema } from './server-schema.js';

/**
 * The YAML contract (README "Configuration reference"): the top level, composed of sections that
 * each have their own file — server-schema.ts (server, log, readiness), access-schema.ts,
 * cache-schema.ts, credentials-schema.ts and block-schema.ts (one proxy block, with
 * upstream-schema.ts and site-schema.ts). Names in them are the user interface: keep them stable.
 * Every object is strict, so a misspelt key is an error, not a silently ignored setting. Values
 * that came from `${ENV}` arrive as strings, so numbers and booleans accept their string forms as
 * well (schema-units.ts).
 */

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  log: logSchema.prefault({}),
  readiness: readinessSchema.prefault({}),
  /** Access rules for blocks that have no `access:` of their own. */
  access: accessSchema.optional(),
  /** The cache's stores, shared by every block that has `cache:`. */
  cache: cacheStoresSchema.optional(),
  credentials: credentialSetsSchema.default({}),
  proxies: z.array(proxySchema).min(1, 'at least one proxy block is needed'),
});

export type RawConfig = z.infer<typeof configSchema>;
