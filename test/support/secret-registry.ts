// A process-wide set of the secrets the tests hand to a proxy (or that fake AWS endpoints issue),
// so every proxy process a test starts can be checked for leaking any of them into its output.
// node --test runs each test file in its own process: the set covers one file's run.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const MIN_LENGTH = 8;
const secrets = new Set<string>();

/** Remembers `value` as a secret (values shorter than 8 characters are too common to check). */
export function registerSecret(value: unknown): void {
  if (typeof value === 'string' && value.length >= MIN_LENGTH) secrets.add(value);
}

export function knownSecrets(): string[] {
  return [...secrets];
}

/** Config keys whose values are secrets wherever they appear. */
const SECRET_KEYS = new Set(['secretAccessKey', 'sessionToken', 'signingKey', 'customerKey']);

/**
 * `${NAME}` / `${NAME:-default}` (the config's environment substitution) resolved against `env`,
 * so the secret registered is the one the proxy will hold; any other text is returned as it is.
 */
function substituted(value: string, env: NodeJS.ProcessEnv): string | undefined {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?\}$/.exec(value);
  if (!m) return value.includes('${') ? undefined : value;
  const v = env[m[1]!];
  return v !== undefined && v !== '' ? v : m[2];
}

function registerLeaves(node: unknown, env: NodeJS.ProcessEnv, skipKey?: string): void {
  if (typeof node === 'string') return registerSecret(substituted(node, env));
  if (Array.isArray(node)) return node.forEach((n) => registerLeaves(n, env, skipKey));
  if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) if (k !== skipKey) registerLeaves(v, env, skipKey);
}

/** `{ file: path }` (README "Secrets from files"): the path names the secret, it is none itself. */
const isFileRef = (v: unknown): v is { file: string } => !!v && typeof v === 'object' && Object.keys(v).length === 1 && typeof (v as { file?: unknown }).file === 'string';

/** The secret a `{ file: path }` value holds: the file's text as the proxy reads it (a missing file holds none). */
function registerFileSecret(path: string | undefined): void {
  if (path === undefined) return;
  try {
    registerSecret(readFileSync(path, 'utf8').replace(/\r?\n$/, ''));
  } catch {
    // unreadable: the proxy refuses the config, naming the file (no secret to leak)
  }
}

/**
 * Registers every `secretAccessKey`, `sessionToken`, `signingKey`, `customerKey` (SSE-C) and
 * `requireHeader` value (the header's `values`, not its name), and the password in
 * `cache.shared.url`, found anywhere in a config object or YAML text; of a value read from a
 * file, the file's content, not its path.
 */
export function registerConfigSecrets(config: unknown, env: NodeJS.ProcessEnv = process.env): void {
  let root = config;
  if (typeof config === 'string') {
    try {
      root = parse(config) as unknown;
    } catch {
      return; // a deliberately broken file: nothing parseable to register
    }
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (SECRET_KEYS.has(k) && isFileRef(v)) registerFileSecret(substituted(v.file, env));
      else if (SECRET_KEYS.has(k)) registerLeaves(v, env);
      else if (k === 'requireHeader') registerLeaves(v, env, 'name');
      else if (k === 'shared' && v && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string') registerUrlPassword(substituted((v as { url: string }).url, env));
      else walk(v);
    }
  };
  walk(root);
}

/** The password of a URL (cache.shared.url: redis://user:password@host), as written and decoded. */
function registerUrlPassword(url: string | undefined): void {
  if (url === undefined) return;
  try {
    const { password } = new URL(url);
    registerSecret(password);
    registerSecret(decodeURIComponent(password));
  } catch {
    // not a URL: nothing to register
  }
}

/** Registers the AWS secret key and session token of an environment. */
export function registerEnvSecrets(env: NodeJS.ProcessEnv): void {
  registerSecret(env.AWS_SECRET_ACCESS_KEY);
  registerSecret(env.AWS_SESSION_TOKEN);
}

/** A secret shown in a failure message: its first 3 characters and its length. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, 3)}…(${secret.length} chars)`;
}

/** A line with every known secret in it replaced by its mask. */
export function maskLine(line: string): string {
  let out = line;
  for (const s of secrets) for (const form of secretForms(s)) out = out.split(form).join(`<${maskSecret(s)}>`);
  return out;
}

export interface Leak {
  readonly secret: string;
  readonly stream: string;
  readonly index: number;
  readonly line: string;
}

/**
 * The spellings of a secret a log line could carry: as it is, JSON-escaped (a `"` as `\"`),
 * percent-encoded as a URL component, and as SigV4 encodes it (also `!'()*`).
 */
export function secretForms(s: string): string[] {
  const uri = encodeURIComponent(s);
  const strict = uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...new Set([s, JSON.stringify(s).slice(1, -1), uri, strict, JSON.stringify(uri).slice(1, -1)])];
}

/** Every occurrence of a known secret, in any of its {@link secretForms}, in the streams' lines. */
export function findLeaks(streams: Record<string, readonly string[]>): Leak[] {
  const leaks: Leak[] = [];
  const forms = [...secrets].map((s) => [s, secretForms(s)] as const);
  for (const [stream, lines] of Object.entries(streams)) {
    lines.forEach((line, index) => {
      for (const [secret, variants] of forms) if (variants.some((v) => line.includes(v))) leaks.push({ secret, stream, index, line });
    });
  }
  return leaks;
}

/** Throws (the message masks the secrets) when any known secret occurs in the lines. */
export function assertNoLeaks(what: string, streams: Record<string, readonly string[]>): void {
  const leaks = findLeaks(streams);
  if (leaks.length === 0) return;
  const shown = leaks.slice(0, 5).map((l) => `  secret ${maskSecret(l.secret)} in ${l.stream} line ${l.index + 1}: ${maskLine(l.line).slice(0, 400)}`);
  throw new Error(`${what}: ${leaks.length} secret occurrence(s) in its output\n${shown.join('\n')}`);
}
