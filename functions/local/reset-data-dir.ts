/**
 * `npm start -- --reset`: deletes the data directory before the stack starts, but only when it
 * holds nothing but what the stack itself writes, so a mistyped DMBS_DATA_DIR never deletes a
 * user's own files.
 */
import { readdir, rm } from 'node:fs/promises';
import { LocalConfigError } from './local-config.ts';

// Everything the stack writes at the top of its data directory (newer parts may add entries here).
const OWN_ENTRIES = new Set(['s3', 's3-versions', 'dynamodb', 'attempts', 'keys.json', 'keys.json.old', 'env', 'events.ndjson', '.lock', 'analytics-cache']);

/** Removes `dataDir` when it is the stack's (or absent); throws LocalConfigError naming a foreign entry. */
export async function resetDataDir(dataDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const foreign = entries.find((name) => !OWN_ENTRIES.has(name));
  if (foreign !== undefined) {
    throw new LocalConfigError(`--reset: ${dataDir} holds '${foreign}', which the local stack did not write; not deleting it (remove the folder yourself or pick another DMBS_DATA_DIR)`);
  }
  await rm(dataDir, { recursive: true, force: true });
}
