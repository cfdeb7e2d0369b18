/**
 * The local auth provider: API keys from `${DMBS_DATA_DIR}/keys.json`. Tokens given in plain are
 * hashed as the file is read and only SHA-256 digests are kept; a presented token is hashed and
 * compared with every digest in constant time (crypto.timingSafeEqual). No token is ever logged,
 * returned or put in an error message.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { bearerToken, ROLES, type AuthOutcome, type AuthProvider, type AuthRequest, type Principal, type Role } from './principal.ts';

/**
 * The file: `{"keys":[{"token"|"tokenSha256": "...", "role": "reviewer"|"onboarding"|"issuer", "issuerId": "...", "name": "..."}]}`.
 * `issuerId` is required for issuers and not allowed otherwise; `name` (optional) labels the key in logs.
 */
export interface KeysFile {
  readonly keys: ReadonlyArray<KeyFileEntry>;
}

export interface KeyFileEntry {
  readonly token?: string;
  readonly tokenSha256?: string;
  readonly role: Role;
  readonly issuerId?: string;
  readonly name?: string;
}

/** Plain tokens shorter than this are refused: a key must not be guessable. */
export const MIN_TOKEN_CHARS = 16;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface KeyDigest {
  readonly digest: Buffer;
  readonly principal: Principal;
}

/** SHA-256 of a token (what keys.json's `tokenSha256` holds, hex). */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A keys file a person wrote or edited that cannot be used: a coded error, shown as one line. */
function invalidKeys(message: string): ConfigError {
  return new ConfigError('KEYS_INVALID', message);
}

/**
 * Reads and checks a keys file's text; throws ConfigError `KEYS_INVALID` naming the entry (never its token).
 * @example parseKeysFile('{"keys":[{"token":"a-long-random-token-123","role":"reviewer"}]}', 'keys.json')
 */
export function parseKeysFile(text: string, source: string): KeyDigest[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalidKeys(`${source} is not valid JSON (${(e as Error).message}); expected {"keys":[{"token":"...","role":"reviewer"}]}`);
  }
  const keys = (doc as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw invalidKeys(`${source} has no "keys" array; expected {"keys":[{"token":"...","role":"reviewer"}]}`);
  return keys.map((raw: unknown, i): KeyDigest => {
    const where = `${source}: keys[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidKeys(`${where} is not an object`);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) {
      if (!['token', 'tokenSha256', 'role', 'issuerId', 'name'].includes(k)) throw invalidKeys(`${where} has an unknown property "${k}"; allowed: token, tokenSha256, role, issuerId, name`);
    }
    const role = e.role;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw invalidKeys(`${where}: role must be one of ${ROLES.join(', ')}`);
    let digest: Buffer;
    if (typeof e.token === 'string' && e.tokenSha256 === undefined) {
      if (e.token.length < MIN_TOKEN_CHARS || /\s/.test(e.token)) throw invalidKeys(`${where}: token must be at least ${MIN_TOKEN_CHARS} characters without spaces`);
      digest = hashToken(e.token);
    } else if (typeof e.tokenSha256 === 'string' && e.token === undefined) {
      if (!/^[0-9a-fA-F]{64}$/.test(e.tokenSha256)) throw invalidKeys(`${where}: tokenSha256 must be 64 hex characters (the SHA-256 of the token)`);
      digest = Buffer.from(e.tokenSha256, 'hex');
    } else {
      throw invalidKeys(`${where} must have exactly one of "token" and "tokenSha256"`);
    }
    const name = typeof e.name === 'string' && e.name.length > 0 ? e.name : `key ${i + 1}`;
    if (role === 'issuer') {
      if (typeof e.issuerId !== 'string' || !ID_RE.test(e.issuerId)) throw invalidKeys(`${where}: an issuer key needs an issuerId of letters, digits, '.', '_', '-' (1-64)`);
      return { digest, principal: { role, subject: name, issuerId: e.issuerId } };
    }
    if (e.issuerId !== undefined) throw invalidKeys(`${where}: issuerId is only for issuer keys`);
    return { digest, principal: { role: role as 'reviewer' | 'onboarding', subject: name } };
  });
}

export interface KeysFileAuthOptions {
  /** Path of keys.json. */
  readonly path: string;
  /** Warnings (a changed file that cannot be read: the previous keys stay in force). */
  readonly log?: (level: 'warn', message: string) => void;
}

/**
 * An AuthProvider over a keys file, read now (throws when it is missing or invalid) and again
 * whenever its modification time or size changes.
 * @example const auth = createKeysFileAuth({ path: join(dataDir, 'keys.json') });
 */
export function createKeysFileAuth(options: KeysFileAuthOptions): AuthProvider {
  const read = () => {
    const st = statSync(options.path);
    return { stamp: `${st.mtimeMs}:${st.size}`, keys: parseKeysFile(readFileSync(options.path, 'utf8'), options.path) };
  };
  let current = read();
  const refresh = () => {
    let stamp: string;
    try {
      const st = statSync(options.path);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      return; // removed: keep the keys in force
    }
    if (stamp === current.stamp) return;
    try {
      current = read();
    } catch (e) {
      current = { ...current, stamp };
      options.log?.('warn', `keys file changed but cannot be used, previous keys stay in force: ${(e as Error).message}`);
    }
  };
  return {
    authenticate(request: AuthRequest): AuthOutcome {
      const token = bearerToken(request.authorization);
      if (token === undefined) {
        return { ok: false, code: 'TOKEN_MISSING', detail: request.authorization ? 'The Authorization header must be "Bearer <token>".' : 'Send your API key as "Authorization: Bearer <token>".' };
      }
      refresh();
      return matchDigest(hashToken(token), current.keys);
    },
  };
}

/** Compares with every key (no early exit), so timing does not tell how many keys matched or where. */
function matchDigest(digest: Buffer, keys: readonly KeyDigest[]): AuthOutcome {
  let found: Principal | undefined;
  for (const key of keys) {
    const equal = timingSafeEqual(digest, key.digest);
    if (equal && !found) found = key.principal;
  }
  return found ? { ok: true, principal: found } : { ok: false, code: 'TOKEN_INVALID', detail: 'The API key is not known here. Check the key, or ask for a new one.' };
}

/**
 * Writes a new keys file (the local stack, when none exists): a random reviewer key and an issuer
 * key for `issuerId`. Stores SHA-256 digests unless `store: 'plain'`; returns the plain tokens so
 * that they can be shown once.
 */
export async function writeNewKeysFile(
  path: string,
  options: { issuerId?: string; issuerIds?: readonly string[]; store?: 'sha256' | 'plain' } = {},
): Promise<{ reviewer: string; issuer: string; issuerId: string; issuers: ReadonlyArray<{ issuerId: string; token: string }> }> {
  const issuerIds = options.issuerIds?.length ? options.issuerIds : [options.issuerId ?? 'demo'];
  const reviewer = `rev_${randomBytes(24).toString('base64url')}`;
  const issuers = issuerIds.map((issuerId) => ({ issuerId, token: `iss_${randomBytes(24).toString('base64url')}` }));
  const entry = (token: string) => (options.store === 'plain' ? { token } : { tokenSha256: hashToken(token).toString('hex') });
  const file: KeysFile = {
    keys: [
      { ...entry(reviewer), role: 'reviewer', name: 'local reviewer' },
      ...issuers.map((i) => ({ ...entry(i.token), role: 'issuer' as const, issuerId: i.issuerId, name: `local issuer ${i.issuerId}` })),
    ],
  };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { reviewer, issuer: issuers[0]!.token, issuerId: issuers[0]!.issuerId, issuers };
}
