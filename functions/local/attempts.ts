/**
 * Durable "attempt started" marks, one file per tape the runner is processing. A mark is written
 * (and synced to disk) before the tape's first step and removed when its run returns, or when the
 * stack stops on purpose. A mark found at the next start means the process ended during that
 * tape (killed, out of memory, a crash): recovery then ends the tape FAILED instead of resuming
 * it, so that a tape which takes the process down cannot do so again at every restart.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const TAPE_ID_RE = /^[0-9A-Za-z_-]{1,128}$/;

export class AttemptLog {
  readonly directory: string;
  readonly #open = new Set<string>();

  constructor(directory: string) {
    this.directory = directory;
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  }

  /** Marks `tapeId` as being processed, durably (written and synced before it returns). */
  begin(tapeId: string, detail: { runId: string; key: string }): void {
    if (!TAPE_ID_RE.test(tapeId)) return;
    const fd = openSync(this.#path(tapeId), 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ tapeId, ...detail, startedAt: new Date().toISOString() }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.#open.add(tapeId);
  }

  /** The run of `tapeId` returned (whatever its outcome): the process survived it. */
  end(tapeId: string): void {
    this.#open.delete(tapeId);
    this.#remove(tapeId);
  }

  /** The stack stops on purpose with runs still going: those did not crash it. Synchronous, for an exit path. */
  endAll(): void {
    for (const tapeId of [...this.#open]) this.end(tapeId);
  }

  /** Tape ids whose mark an earlier process left (call before this process begins any). */
  leftOver(): Set<string> {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return new Set();
    }
    return new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).filter((id) => !this.#open.has(id)));
  }

  /** Removes a mark an earlier process left, once recovery has dealt with its tape. */
  forget(tapeId: string): void {
    if (!this.#open.has(tapeId)) this.#remove(tapeId);
  }

  #remove(tapeId: string): void {
    try {
      unlinkSync(this.#path(tapeId));
    } catch {
      // already gone
    }
  }

  #path(tapeId: string): string {
    return join(this.directory, `${tapeId}.json`);
  }
}
