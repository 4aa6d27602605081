/** The errors S3 answers a SigV4 / SigV4A request whose credentials it cannot read or accept. */
import { S3Error } from './s3-errors.js';

export const malformedHeader = (detail: string, fields: Array<[string, string]> = []): S3Error =>
  new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, fields);

export const malformedQuery = (message: string): S3Error => new S3Error(400, 'AuthorizationQueryParametersError', message);

/** A presigned URL's X-Amz-Credential problem: the header's wording after S3's prefix, no extra fields. */
export const malformedCredentialParam = (detail: string): S3Error =>
  malformedQuery(`Error parsing the X-Amz-Credential parameter; ${detail}`);

/** Builds the error for a credential problem: malformedHeader or malformedCredentialParam. */
export type CredentialError = (detail: string, fields?: Array<[string, string]>) => S3Error;
