/**
 * One local stack per data directory: a lock file holding the owner's pid. dynalite's LevelDB
 * allows one opener and, when it cannot open, throws from a callback and ends the process
 * without a word; this check makes it one clear line instead. A lock left by a process that no
 * longer runs (killed) is taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Thrown when another live process holds the directory (main.ts prints it as one line). */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

export interface DataDirLock {
  release(): Promise<void>;
}

/** @example const lock = await lockDataDir('.dmbs'); ...; await lock.release(); */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, '.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return { release: () => unlink(path).catch(() => undefined) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new DataDirInUseError(`the data directory ${dataDir} is in use by another local stack (pid ${owner}); stop that one, or set DMBS_DATA_DIR to another directory`);
    }
    await unlink(path).catch(() => undefined); // left by a process that is gone
  }
  throw new DataDirInUseError(`could not lock the data directory ${dataDir}; is another local stack starting right now?`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
