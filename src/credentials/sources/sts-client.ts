import { BoundedHttpHandler, STS_MAX_ANSWER_BYTES } from './bounded-http-handler.js';
import type { SdkLogger } from './sdk-logger.js';

export interface StsSettings {
  readonly stsEndpoint?: string;
  readonly region?: string;
  readonly timeoutMs: number;
  readonly logger: SdkLogger;
}

/**
 * The STS client configuration for the SDK's role providers. Endpoint and region fall back to the
 * SDK's own rules (AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL, AWS_REGION or the profile's region,
 * else us-east-1: https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 * One attempt per fetch: retries and their backoff belong to the refreshing provider, which logs
 * and counts them. `throwOnRequestTimeout`: without it the handler only warns on a slow answer.
 * The answer body is bounded in size and time (bounded-http-handler.ts).
 */
export function stsClientConfig(s: StsSettings) {
  return {
    ...(s.stsEndpoint ? { endpoint: s.stsEndpoint } : {}),
    ...(s.region ? { region: s.region } : {}),
    maxAttempts: 1,
    logger: s.logger,
    requestHandler: new BoundedHttpHandler({ connectionTimeout: s.timeoutMs, requestTimeout: s.timeoutMs, throwOnRequestTimeout: true, maxBytes: STS_MAX_ANSWER_BYTES, timeoutMs: s.timeoutMs }),
  };
}
