/**
 * An NDJSON output file for `--errors-out` / `--loans-out`: lines are buffered and written in
 * 1 MiB blocks with positioned synchronous writes, so `restart()` (truncate and start over) can
 * never race a pending asynchronous write.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { UsageError } from './usage-error.ts';

const BLOCK = 1 << 20;

export class NdjsonFile {
  readonly #fd: number;
  #buffer: string[] = [];
  #buffered = 0;
  #position = 0;

  constructor(readonly path: string) {
    try {
      this.#fd = openSync(path, 'w');
    } catch (e) {
      throw new UsageError(`${path}: cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  /** Appends one value as a JSON line. */
  write(value: unknown): void {
    const line = `${JSON.stringify(value)}\n`;
    this.#buffer.push(line);
    this.#buffered += line.length;
    if (this.#buffered >= BLOCK) this.flush();
  }

  /** Forgets everything written so far (the file is truncated). */
  restart(): void {
    this.#buffer = [];
    this.#buffered = 0;
    this.#position = 0;
    ftruncateSync(this.#fd, 0);
  }

  flush(): void {
    if (this.#buffer.length === 0) return;
    const bytes = Buffer.from(this.#buffer.join(''), 'utf8');
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#position + done);
    this.#position += bytes.length;
    this.#buffer = [];
    this.#buffered = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}
