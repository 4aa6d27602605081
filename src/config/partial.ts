import type { ZodType } from 'zod';
import { credentialsSchema, type RawCredentials } from './credentials-schema.js';
import { proxySchema, type RawProxy } from './block-schema.js';
import { configSchema, type RawConfig } from './schema.js';

/**
 * A config read field by field: each field of a map parsed with its own schema, so the fields that
 * are valid can be checked against each other while others are still wrong. A field present in the
 * result parsed (its value may be undefined: an optional field left out); a field absent did not.
 */
export type Fields<T> = { readonly [K in keyof T]?: T[K] };

export interface PartialConfig {
  readonly top: Fields<RawConfig>;
  /** Every name under `credentials:`, with its parsed set, or undefined when that set is invalid. */
  readonly named: ReadonlyMap<string, RawCredentials | undefined>;
  readonly blocks: ReadonlyArray<Fields<RawProxy>>;
}

const asMap = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function parseFields<T>(shape: Record<string, ZodType>, input: unknown): Fields<T> {
  const map = asMap(input);
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const r = schema.safeParse(map[key]);
    if (r.success) out[key] = r.data;
  }
  return out as Fields<T>;
}

export function parsePartial(input: unknown): PartialConfig {
  const map = asMap(input);
  const named = new Map<string, RawCredentials | undefined>();
  for (const [name, value] of Object.entries(asMap(map.credentials))) {
    const r = credentialsSchema.safeParse(value);
    named.set(name, r.success ? r.data : undefined);
  }
  const blocks = Array.isArray(map.proxies) ? map.proxies.map((b) => parseFields<RawProxy>(proxySchema.shape, b)) : [];
  return { top: parseFields<RawConfig>(configSchema.shape, input), named, blocks };
}

/** Whether a field parsed (`'access' in fields`, typed). */
export const has = <T, K extends keyof T>(fields: Fields<T>, key: K): fields is Fields<T> & { readonly [P in K]: T[P] } => Object.hasOwn(fields, key);
