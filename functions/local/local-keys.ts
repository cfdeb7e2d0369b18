/**
 * The local API keys: `${DMBS_DATA_DIR}/keys.json` in the format functions/api/keys-file-auth.ts
 * reads. An existing file is used as is (checked at start, so a mistake is one clear line); when
 * there is none, or on `--rotate-keys`, a new one is written with a random reviewer key and an
 * issuer key for `demo`, stored as SHA-256 digests only. The fresh tokens are returned so that
 * they are shown once, and never logged.
 */
import { readFile, rename, rm } from 'node:fs/promises';
import { parseKeysFile, writeNewKeysFile } from '../api/keys-file-auth.ts';
import { ConfigError } from '../core/errors.ts';

/** The issuer the generated issuer key belongs to (the README's `incoming/demo/...` examples). */
export const DEMO_ISSUER_ID = 'demo';

/** Tokens of a keys file written just now (absent when an existing file was used). */
export interface CreatedKeys {
  readonly reviewer: string;
  /** The first issuer's key (DEMO_ISSUER_ID unless others were asked for). */
  readonly issuer: string;
  readonly issuerId: string;
  /** Every issuer key written, the first one included. */
  readonly issuers: ReadonlyArray<{ readonly issuerId: string; readonly token: string }>;
}

export interface LocalKeys {
  readonly path: string;
  readonly created?: CreatedKeys;
  /** Entries in the file. */
  readonly count: number;
}

/**
 * Uses `path` when it exists (unless `rotate`), else writes a new keys file.
 * @example const { created } = await ensureLocalKeys('.dmbs/keys.json'); if (created) show(created);
 */
export async function ensureLocalKeys(path: string, options: { rotate?: boolean; issuerIds?: readonly string[] } = {}): Promise<LocalKeys> {
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError('KEYS_INVALID', `${path} cannot be read (${(e as NodeJS.ErrnoException).code}); fix its permissions or delete it to get new keys`);
  }
  if (text !== undefined && !options.rotate) {
    return { path, count: parseKeysFile(text, path).length };
  }
  if (text !== undefined) {
    // Rotation replaces every key: the old tokens stop working as soon as the API sees the new file.
    await rename(path, `${path}.old`);
  }
  try {
    const created = await writeNewKeysFile(path, { issuerIds: options.issuerIds?.length ? options.issuerIds : [DEMO_ISSUER_ID] });
    if (text !== undefined) await rm(`${path}.old`, { force: true });
    return { path, created, count: 1 + created.issuers.length };
  } catch (e) {
    if (text !== undefined) await rename(`${path}.old`, path).catch(() => undefined);
    throw e;
  }
}
