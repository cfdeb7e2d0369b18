/**
 * A progress bar on stderr for long checks, only when stderr is a terminal (never in pipes, CI
 * logs or tests), redrawn at most every 200 ms.
 */
export interface Progress {
  update(bytesRead: number, rows: number): void;
  done(): void;
}

const SILENT: Progress = { update() {}, done() {} };

/** A bar for a file of `totalBytes`; silent unless `stream` is a TTY and the file is over 4 MiB. */
export function progressBar(totalBytes: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || totalBytes < 4 << 20) return SILENT;
  const started = Date.now();
  let last = 0;
  const draw = (bytesRead: number, rows: number) => {
    const share = Math.min(1, bytesRead / totalBytes);
    const width = 30;
    const filled = Math.round(share * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(rows / seconds) : 0;
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows  ${rate.toLocaleString('en-US')} rows/s `);
  };
  return {
    update(bytesRead, rows) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      draw(bytesRead, rows);
    },
    done() {
      if (last > 0) stream.write('\r\x1b[K');
    },
  };
}
