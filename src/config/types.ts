import type { KeyObject } from 'node:crypto';
import type { Credentials, UriRule } from '../signing/types.js';
import type { PoolSettings } from '../upstream/pools.js';
import type { SourceSpec } from './credentials-schema.js';

/** How one block signs, with every default filled in. */
export interface BlockSigning {
  readonly version: 'v4' | 'v2' | 'v4a';
  readonly mode: 'header' | 'query' | 'redirect';
  readonly payload: 'unsigned' | 'sha256' | 'streaming';
  readonly expires: number;
  readonly includeHeaders: readonly string[];
  readonly excludeHeaders: readonly string[];
  /**
   * SigV4 service name: `s3` for S3 and S3-compatible stores, `s3express` for S3 Express One Zone
   * directory buckets (the S3 API, signed with a session's credentials), `mediastore` for MediaStore.
   */
  readonly service: 's3' | 's3express' | 'mediastore';
  readonly uriRule: UriRule;
  /** SigV4A's `X-Amz-Region-Set` (`*`, or regions joined with `,`); undefined for v4 and v2. */
  readonly regionSet: string | undefined;
}

/** A credential set as configured: named, or inline in a block (named after the block). */
export type CredentialSpec =
  | { readonly name: string; readonly kind: 'static'; readonly credentials: Credentials }
  | { readonly name: string; readonly kind: 'source'; readonly source: SourceSpec };

/** A block's viewer-side rules, keys loaded. */
export interface BlockAccess {
  readonly requireHeader?: { readonly name: string; readonly values: readonly string[] };
  readonly allowIps?: readonly string[];
  readonly signedUrls?: { readonly keys: ReadonlyMap<string, KeyObject>; readonly cookies: boolean; readonly baseUrl?: string };
}

/** A proxy block after validation: everything the request path needs, computed once. */
export interface ResolvedBlock {
  readonly index: number;
  /** Incoming prefix, starts and ends with `/`. */
  readonly path: string;
  readonly type: 's3' | 'mediastore';
  readonly bucket: string | undefined;
  /** `upstream.accessPoint`, the ARN, when the block names an access point instead of a bucket. */
  readonly accessPoint: string | undefined;
  /** `upstream.region` (`*` with SigV4A), else an access point's region. */
  readonly region: string | undefined;
  /** The configured (or default) endpoint origin, e.g. `https://s3.eu-central-1.amazonaws.com`. */
  readonly endpoint: string;
  readonly addressing: 'virtual' | 'path';
  readonly keyPrefix: string;
  /** Origin the connection pool dials: `scheme://host[:port]` (bucket host for virtual addressing). */
  readonly origin: string;
  /** `Host` header sent and signed. */
  readonly host: string;
  /**
   * Origin of a URL handed out (a redirect's Location, `presign`): a URL is dialled at the host it is
   * signed for, so an access point reached through `upstream.endpoint` is named by its own host.
   */
  readonly urlOrigin: string;
  /** Upstream path before the encoded key: `/` (virtual-hosted, MediaStore) or `/bucket/` (path-style). */
  readonly basePath: string;
  /** Bucket for SigV2's CanonicalizedResource when it is not in the path (virtual-hosted). */
  readonly v2Bucket: string | undefined;
  readonly credentials: CredentialSpec;
  readonly signing: BlockSigning;
  readonly pool: PoolSettings;
  /** Where and how much of an upload may be written to disk before it is sent. */
  readonly spool: { readonly maxBytes: number; readonly dir: string };
  readonly responseHeaders: {
    readonly remove: ReadonlySet<string>;
    readonly set: Readonly<Record<string, string>>;
    readonly default: Readonly<Record<string, string>>;
  };
  readonly notFoundFor403: boolean;
  /** A GET of the block's root with S3's list parameters is a listing of what is under keyPrefix. */
  readonly listObjects: boolean;
  /** Viewer-side rules (the block's own, else the top-level default), or none. */
  readonly access: BlockAccess | undefined;
  readonly retry: { readonly attempts: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly methods: readonly string[];
  /** The block's shield-cache rules (README "Shield cache"), or undefined: not cached. */
  readonly cache: BlockCache | undefined;
  /** Static-site behaviour (README "Static sites and browsers"), or undefined: objects only. */
  readonly site: BlockSite | undefined;
  readonly cors: BlockCors | undefined;
  /** Host names (lower case; `*.` for one label) this block serves, or undefined: any. */
  readonly hosts: readonly string[] | undefined;
  /** Viewer query parameters forwarded and signed on reads beyond the query table (query.allow, cache.key.query); all part of the cache key. */
  readonly readQuery: ReadonlySet<string>;
  /** Headers the block adds to what it sends the store (SSE-C, SSE-KMS, requester pays), or undefined. */
  readonly storeHeaders: StoreHeaders | undefined;
  /** A directory bucket (S3 Express One Zone): the session mode its CreateSession asks for; undefined otherwise. */
  readonly s3Express: { readonly sessionMode: 'ReadOnly' | 'ReadWrite' } | undefined;
}

/** Headers added to requests to the store, signed with the rest (src/interceptors/store-headers.ts). */
export interface StoreHeaders {
  /** On every request (requester pays). */
  readonly all: Readonly<Record<string, string>>;
  /** On object reads and writes: GET, HEAD, PUT, POST ?uploads (SSE-C). */
  readonly objects: Readonly<Record<string, string>>;
  /** On requests that create an object: PUT without uploadId, POST ?uploads (SSE-KMS). */
  readonly creates: Readonly<Record<string, string>>;
}

export interface BlockSite {
  readonly index: string | undefined;
  readonly listing: boolean;
  readonly appendSlash: boolean;
  /** Object keys relative to the block (no leading slash). */
  readonly spaFallback: string | undefined;
  readonly errorPages: Readonly<Partial<Record<'403' | '404', string>>>;
}

export interface BlockCors {
  /** Exact origins (lower case), `*.` patterns, or `*`. */
  readonly origins: readonly string[];
  readonly methods: readonly string[];
  readonly headers: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAge: number;
  readonly credentials: boolean;
}

/** How long a block's reads may be kept, in milliseconds, and what names a cached object. */
export interface BlockCache {
  readonly ttlMs: number;
  readonly maxTtlMs: number;
  readonly notFoundTtlMs: number;
  readonly staleWhileRevalidateMs: number;
  readonly staleIfErrorMs: number;
  /** Slice size in bytes, or undefined: whole objects. */
  readonly sliceBytes: number | undefined;
  /** Query parameters that are part of the cache key (and forwarded on reads). */
  readonly keyQuery: readonly string[];
}

/** The cache's stores, shared by the blocks (top-level `cache:`). */
export interface CacheStores {
  readonly memory: { readonly maxBytes: number; readonly maxObjectBytes: number };
  readonly disk: { readonly path: string; readonly maxBytes: number } | undefined;
  /** The tier shared by the replicas (Redis), when configured. */
  readonly shared?: SharedStore;
}

/** `cache.shared`, in bytes and milliseconds. `url` may hold a password: never log or show it. */
export interface SharedStore {
  readonly url: string;
  readonly maxObjectBytes: number;
  readonly ttlCapMs: number;
  readonly timeoutMs: number;
  readonly lockMs: number;
  readonly caFile: string | undefined;
}

export interface ResolvedConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly workers: number | 'auto';
    readonly shutdownTimeout: number;
    /** Seconds (server.headersTimeout, server.sendTimeout). */
    readonly headersTimeout: number;
    readonly sendTimeout: number;
    readonly watchConfig: boolean;
    readonly trustProxy: boolean | number | readonly string[];
    readonly admin: { readonly host: string; readonly port: number; readonly hosts: readonly string[] };
  };
  readonly readiness: { readonly probe?: string; readonly timeout: number };
  readonly log: { readonly level: string; readonly signatureDebug: boolean; readonly requestHeaders: readonly string[] };
  readonly credentials: Readonly<Record<string, CredentialSpec>>;
  /** The cache's stores: set when the config has top-level `cache:` or any block caches. */
  readonly cache: CacheStores | undefined;
  readonly proxies: readonly ResolvedBlock[];
}

/** What a load returns besides the config: things worth saying that do not stop start-up. */
export interface LoadedConfig {
  readonly file: string;
  readonly config: ResolvedConfig;
  /** Each as one line, `FILE:LINE:COL  path: message`: what the start-up log says. */
  readonly warnings: readonly string[];
}
