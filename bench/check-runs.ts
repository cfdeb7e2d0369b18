/**
 * What the `dmbs check` benches share (pipeline.ts, compute-check.ts): generated tapes cached in the
 * OS temp folder, and `dmbs check` runs in child processes with their peak RSS, the best of n.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFile, type GenOptions } from './gen.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
export const load = () => loadavg().map((x) => round(x, 2));

/** A generated tape (`out` ignored), written once into the OS temp folder; its path. */
export async function cachedTape(options: GenOptions): Promise<string> {
  // `generator`: bumped when the generator's output changes for the same options (2: facilities capped).
  const tag = createHash('sha256').update(JSON.stringify({ ...options, out: '', generator: 2 })).digest('hex').slice(0, 10);
  const dir = join(tmpdir(), 'dmbs-bench');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${options.kind === 'compute' ? 'compute' : 'tape'}-${options.rows}-${tag}.${options.format}`);
  if (!existsSync(path)) {
    process.stdout.write(`  generating ${path} … `);
    await generateFile({ ...options, out: `${path}.tmp` });
    renameSync(`${path}.tmp`, path);
    process.stdout.write('done\n');
  }
  return path;
}

export interface Run { seconds: number; peakRssMB: number; load: number[]; exitCode: number | null; stdout: string }

/** Runs a command, sampling the child's peak RSS (VmHWM) from /proc; resolves when it exits. */
export function measure(command: string, args: string[]): Promise<Run> {
  const before = load();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < 1 << 16) stdout += d; });
    let peak = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch { /* exited */ }
    };
    const timer = setInterval(sample, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ seconds: (performance.now() - started) / 1000, peakRssMB: round(peak), load: before, exitCode: code, stdout });
    });
  });
}

/** The fastest of `n` runs (other work on the machine slows a run down, never speeds it up), with every run's seconds. */
export async function bestOf(label: string, command: string, args: string[], n: number): Promise<Run & { runs: number[] }> {
  const all: Run[] = [];
  for (let i = 0; i < n; i++) all.push(await measure(command, args));
  const b = all.reduce((x, y) => (y.seconds < x.seconds ? y : x));
  if (b.exitCode !== 0 && b.exitCode !== 1) throw new Error(`${label}: exit code ${b.exitCode}`);
  return { ...b, runs: all.map((r) => round(r.seconds, 2)) };
}

export interface Row {
  name: string;
  rows: number;
  mb: number;
  workers: number | null;
  seconds: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  peakRssMB: number;
  load: number[];
  runs: number[];
}

/** `node bin/dmbs.mjs check FILE --json --workers N`, the best of `runs`. */
export async function checkRun(name: string, path: string, rows: number, workers: number, runs: number): Promise<Row> {
  const mb = statSync(path).size / 1e6;
  const r = await bestOf(name, process.execPath, ['bin/dmbs.mjs', 'check', path, '--json', '--workers', String(workers)], runs);
  return { name, rows, mb: round(mb, 1), workers, seconds: round(r.seconds, 2), rowsPerSecond: Math.round(rows / r.seconds), mbPerSecond: round(mb / r.seconds, 1), peakRssMB: r.peakRssMB, load: r.load, runs: r.runs };
}

export function table(rows: Row[]): string {
  const head = ['measurement', 'rows', 'MB', 'workers', 's', 'rows/s', 'MB/s', 'peak RSS MB', 'load'];
  const body = rows.map((r) => [r.name, String(r.rows), String(r.mb), String(r.workers ?? '-'), r.seconds.toFixed(2), String(r.rowsPerSecond), String(r.mbPerSecond), String(r.peakRssMB), r.load.join(' ')]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}
