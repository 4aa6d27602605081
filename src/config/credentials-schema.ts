import { z } from 'zod';
import { friendlyMessage } from './friendly-message.js';
import { base64Key, boolFrom, intFrom, nonEmpty, region, seconds } from './schema-units.js';
import { unknownKeyMessage } from './unknown-key.js';

/**
 * Credential sets (README `credentials`, "Credential sources"): static keys, a pre-derived SigV4
 * signing key, or a source the keys are fetched from — the environment, a profile, instance
 * metadata (IMDS), the container endpoint (ECS), web identity, assume-role, or the SDK's default
 * chain. A secret field may also be read from a file (secret-files.ts, before the schema sees it).
 */

/** Static keys, with an optional session token (empty means none: `${TOKEN:-}`). */
const staticCredentials = z.strictObject({
  accessKeyId: nonEmpty('accessKeyId'),
  secretAccessKey: nonEmpty('secretAccessKey'),
  sessionToken: z.string().optional(),
});

/** A pre-derived SigV4 signing key (nginx aws-auth style): no secret on the box. */
const preDerivedCredentials = z.strictObject({
  accessKeyId: nonEmpty('accessKeyId'),
  signingKey: base64Key('signingKey', 'a SigV4 signing key is an HMAC-SHA256 output'),
  keyScope: z.string().regex(/^\d{8}\/[a-z0-9-]+\/[a-z0-9-]+\/aws4_request$/, 'keyScope must look like 20261123/eu-central-1/s3/aws4_request'),
  sessionToken: z.string().optional(),
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
/** Renew temporary credentials this many seconds before they expire (capped at half their lifetime). */
const refreshBefore = seconds(1, 3600).default(300);
/** Seconds one call to a credential endpoint may take. */
const fetchTimeout = seconds(0.05, 60).default(2);
const durationSeconds = intFrom(z.number().int().min(900).max(43200));
const roleArn = z.string().startsWith('arn:', 'roleArn must be an ARN');
const sessionName = z.string().regex(/^[\w+=,.@-]{2,64}$/, 'sessionName: 2-64 characters of A-Z a-z 0-9 _ + = , . @ -');

/**
 * Credentials fetched from a source, with the AWS CLI / SDK meaning of each
 * (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html); endpoints can be
 * overridden here or by the SDKs' environment variables.
 */
const sourceCredentials = z.discriminatedUnion(
  'source',
  [
    z.strictObject({ source: z.literal('env'), refreshBefore }),
    z.strictObject({
      source: z.literal('profile'),
      profile: z.string().min(1).optional(),
      credentialsFile: z.string().min(1).optional(),
      configFile: z.string().min(1).optional(),
      stsEndpoint: httpUrl.optional(),
      region: region.optional(),
      refreshBefore,
    }),
    z.strictObject({ source: z.literal('instance-metadata'), endpoint: httpUrl.optional(), allowImdsV1: boolFrom().default(false), timeout: fetchTimeout, refreshBefore }),
    z.strictObject({ source: z.literal('container'), timeout: fetchTimeout, refreshBefore }),
    z.strictObject({
      source: z.literal('web-identity'),
      roleArn: roleArn.optional(),
      tokenFile: z.string().min(1).optional(),
      sessionName: sessionName.optional(),
      durationSeconds: durationSeconds.optional(),
      stsEndpoint: httpUrl.optional(),
      region: region.optional(),
      timeout: fetchTimeout,
      refreshBefore,
    }),
    z.strictObject({
      source: z.literal('assume-role'),
      roleArn,
      sessionName: sessionName.default('origin-signer'),
      durationSeconds: durationSeconds.default(3600),
      externalId: z.string().min(2).max(1224).optional(),
      sourceCredentials: z.string().min(1, 'sourceCredentials must name another credential set'),
      stsEndpoint: httpUrl.optional(),
      region: region.optional(),
      timeout: fetchTimeout,
      refreshBefore,
    }),
    z.strictObject({ source: z.literal('chain'), allowImdsV1: boolFrom().default(false), timeout: fetchTimeout, refreshBefore }),
  ],
  { error: 'source must be one of env, profile, instance-metadata, container, web-identity, assume-role, chain' },
);
export type SourceSpec = z.infer<typeof sourceCredentials>;

type CredentialsInput = z.infer<typeof staticCredentials> | z.infer<typeof preDerivedCredentials> | SourceSpec;

/**
 * One credential set in any of its three forms. The form is picked by its keys (`source:`,
 * `signingKey:`, else static keys) and validated by that form's strict schema alone, so an error
 * names the field that is wrong rather than "matches none of three shapes".
 */
function routeCredentials(value: unknown, ctx: z.RefinementCtx): CredentialsInput {
  const obj = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  if (!obj) {
    ctx.addIssue({ code: 'custom', message: value === undefined ? 'required' : 'credentials must be a map: accessKeyId + secretAccessKey, accessKeyId + signingKey + keyScope, or source: …' });
    return z.NEVER;
  }
  const schema = 'source' in obj ? sourceCredentials : 'signingKey' in obj || 'keyScope' in obj ? preDerivedCredentials : staticCredentials;
  const r = schema.safeParse(value, { error: friendlyMessage });
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) ctx.addIssue({ code: 'custom', message: unknownKeyMessage(key), path: [...issue.path, key] });
    } else {
      ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path] });
    }
  }
  return z.NEVER;
}

export const credentialsSchema = z.unknown().transform(routeCredentials);

/** A block's `credentials`: the name of a set, or an inline set in any form. */
export const blockCredentials = z.unknown().transform((value, ctx): string | CredentialsInput => {
  if (typeof value !== 'string') return routeCredentials(value, ctx);
  if (value === '') ctx.addIssue({ code: 'custom', message: 'credentials name must not be empty' });
  return value;
});

/** The top-level `credentials:`: named sets, which blocks (and assume-role sets) refer to by name. */
export const credentialSetsSchema = z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'credential set names use A-Z a-z 0-9 _ . -'), credentialsSchema);

export type RawCredentials = z.infer<typeof credentialsSchema>;
