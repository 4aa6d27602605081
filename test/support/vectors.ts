import { readFileSync } from 'node:fs';
import { fixture } from './paths.js';

/** Layout of the vector files: see test/fixtures/vectors/SOURCE.md and the shared vectors README. */
export interface SigV4Vector {
  id: string;
  kind: 'sigv4' | 'sigv4-chunked';
  applies_to: 'generic+s3' | 'generic-only' | 's3-only' | 's3' | 'generic';
  request: { method: string; host: string; path: string; query: string; headers: Array<[string, string]>; body: string | null };
  signing: {
    mode: 'header' | 'query';
    access_key_id: string;
    secret_access_key: string;
    session_token: string | null;
    session_token_signed: boolean;
    region: string;
    service: string;
    amz_date: string;
    expires?: number;
    uri_rule: 'generic' | 's3';
    signed_headers: string;
    payload_hash: string;
  };
  expected: {
    canonical_request: string;
    string_to_sign: string;
    signature: string;
    authorization?: string;
    url?: string;
    request_target?: string;
  };
  chunks?: Array<{ size: number; data: { repeat: string; count: number }; data_sha256: string; previous_signature: string; string_to_sign: string; signature: string; chunk_header: string }>;
}

export interface SigV2Vector {
  id: string;
  kind: 'sigv2';
  doc_inconsistent?: boolean;
  strict_rule?: { string_to_sign: string; signature: string };
  request: { method: string; host: string; path: string; query: string; headers: Array<[string, string]> };
  signing: { mode: 'header' | 'query'; access_key_id: string; secret_access_key: string; bucket: string | null; expires?: number };
  expected: { string_to_sign: string; signature: string; authorization?: string; query_signature?: string; url?: string };
}

export function loadVectors<T>(file: string): T[] {
  return (JSON.parse(readFileSync(fixture(`vectors/${file}`), 'utf8')) as { vectors: T[] }).vectors;
}

/** The URI rules a vector is valid under: `generic+s3` ones must come out the same under both. */
export function rulesFor(v: SigV4Vector): Array<'s3' | 'generic'> {
  switch (v.applies_to) {
    case 'generic+s3':
      return ['s3', 'generic'];
    case 'generic-only':
    case 'generic':
      return ['generic'];
    default:
      return ['s3'];
  }
}

/** `a, b` and `a,b` separators both occur in published Authorization headers. */
export const normalizeAuthorization = (s: string): string => s.replace(/,\s*/g, ', ');

/** test/fixtures/vectors/sigv4a-chunked.json: aws-c-auth's SigV4A aws-chunked test (SOURCE.md). */
export interface SigV4aChunkedVector {
  credentials: { access_key_id: string; secret_access_key: string };
  public_key: { x: string; y: string };
  amz_date: string;
  region_set: string;
  service: string;
  request: { method: string; path: string; headers: Array<[string, string]> };
  payload_hash: string;
  canonical_request: string;
  chunk_sts_pre_signature: string;
  chunks: Array<{ size: number; data: { repeat: string; count: number }; sts_post_signature: string }>;
  signature_padding: { byte: string; length: number };
}

export function loadV4aChunkedVector(): SigV4aChunkedVector {
  return JSON.parse(readFileSync(fixture('vectors/sigv4a-chunked.json'), 'utf8')) as SigV4aChunkedVector;
}
