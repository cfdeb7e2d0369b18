/**
 * The README's quick start, run as written: the built `npm start` on free ports in a scratch
 * folder, then the README's shell block, line for line, in a second shell there. `npx dmbs` is
 * the repository's CLI (a shell function stands in for npx, which would look for the package in the
 * registry from a scratch folder).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);
const awsOnPath = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!awsOnPath) console.log('quick-start: the README\'s `aws` line is left out: `aws` is not on PATH');

let work: string;
let child: ChildProcess | undefined;

/** The shell block of the README's quick start that follows "In a second shell". */
async function quickStartCommands(): Promise<string[]> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const from = readme.indexOf('In a second shell');
  expect(from).toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(from));
  expect(block).not.toBeNull();
  return block![1]!.trim().split('\n');
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dmbs-quick-start-'));
  await symlink(join(REPO, 'examples'), join(work, 'examples'));
  child = spawn(process.execPath, [join(REPO, 'dist/dmbs-local.mjs'), '--json'], {
    cwd: work,
    env: { ...process.env, DMBS_PORT: '0', DMBS_S3_PORT: '0', DMBS_DYNAMODB_PORT: '0', DMBS_DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child!.stdout! }).on('line', (line) => {
      if (line.startsWith('{') && (JSON.parse(line) as { ready?: boolean }).ready) resolve();
    });
    child!.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready: ${stderr}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the README quick start', () => {
  it('runs as written in a second shell: the tape is SCORED and listed', async () => {
    const commands = (await quickStartCommands()).filter((line) => awsOnPath || !/^aws /.test(line));
    expect(commands[0]).toBe('source .dmbs/env');
    const script = [
      'set -euo pipefail',
      `npx() { if [ "$1" = dmbs ]; then shift; node ${JSON.stringify(join(REPO, 'bin/dmbs.mjs'))} "$@"; else command npx "$@"; fi; }`,
      // Each command's output apart (curl ends without a line break).
      ...commands.flatMap((c) => [c, "printf '\\n--8<--\\n'"]),
    ].join('\n');
    const { stdout } = await run('bash', ['-c', script], { cwd: work, env: { ...process.env, DMBS_TOKEN: '' }, timeout: 90_000 });
    const outputs = stdout.split('\n--8<--\n').map((o) => o.trim());
    const uploaded = outputs[commands.findIndex((c) => c.includes('dmbs upload'))]!;
    expect(uploaded).toMatch(/SCORED/);
    const listing = outputs[commands.findIndex((c) => c.startsWith('curl '))]!;
    const tapes = (JSON.parse(listing) as { items: Array<{ status: string; fileName: string }> }).items;
    expect(tapes.length).toBeGreaterThanOrEqual(1);
    expect(tapes.every((t) => t.status === 'SCORED')).toBe(true);
  });
});
