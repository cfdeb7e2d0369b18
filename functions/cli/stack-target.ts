/**
 * Which running stack the `upload`, `status` and `report` commands talk to, and with which key:
 * `--endpoint URL` (a deployed stack's API) or the local stack at http://127.0.0.1:$DMBS_PORT;
 * the token from `--token`, else DMBS_TOKEN, else (local stack only) a plain `token` entry of
 * `${DMBS_DATA_DIR}/keys.json`. Never prints a token.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

export interface StackTarget {
  /** API base URL without a trailing slash. */
  readonly endpoint: string;
  readonly token: string;
  /** True for the local stack (default endpoint). */
  readonly local: boolean;
}

/** Which kind of key a command prefers when it picks one from the local keys file. */
export type KeyPreference = 'issuer' | 'reader';

export interface TargetOptions {
  readonly endpoint?: string | undefined;
  readonly token?: string | undefined;
}

/**
 * @example resolveTarget({ endpoint: 'https://api.example.com' }, 'reader') // token from DMBS_TOKEN
 */
export function resolveTarget(options: TargetOptions, prefer: KeyPreference, env: NodeJS.ProcessEnv = process.env): StackTarget {
  const local = !options.endpoint;
  const endpoint = options.endpoint ? normaliseEndpoint(options.endpoint) : `http://127.0.0.1:${env.DMBS_PORT || '3000'}`;
  const token = options.token || env.DMBS_TOKEN || (local ? tokenFromKeysFile(env, prefer) : undefined);
  if (!token) {
    throw new UsageError(local
      ? 'no API key: pass --token or set DMBS_TOKEN (`npm start` printed the keys when it created keys.json; `npm start -- --rotate-keys` makes new ones)'
      : `no API key for ${endpoint}: pass --token or set DMBS_TOKEN`);
  }
  return { endpoint, token, local };
}

function normaliseEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--endpoint '${raw.slice(0, 100)}' is not a URL; give the API's base URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--endpoint must be an http(s) URL, not ${url.protocol}`);
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new UsageError(`--endpoint ${url.origin} is plain http; API keys are only sent over https (or to this machine)`);
  }
  return url.href.replace(/\/+$/, '');
}

/** A plain token from the local keys file; keys stored only as SHA-256 (the default) cannot be read back. */
function tokenFromKeysFile(env: NodeJS.ProcessEnv, prefer: KeyPreference): string | undefined {
  const path = join(resolve(env.DMBS_DATA_DIR || '.dmbs'), 'keys.json');
  let keys: Array<{ token?: unknown; role?: unknown }>;
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { keys?: unknown };
    keys = Array.isArray(doc.keys) ? (doc.keys as Array<{ token?: unknown; role?: unknown }>) : [];
  } catch {
    return undefined;
  }
  const plain = keys.filter((k): k is { token: string; role?: unknown } => typeof k.token === 'string');
  const wanted = prefer === 'issuer' ? ['issuer'] : ['reviewer', 'onboarding', 'issuer'];
  for (const role of wanted) {
    const found = plain.find((k) => k.role === role);
    if (found) return found.token;
  }
  return undefined;
}
