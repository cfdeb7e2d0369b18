/**
 * `npm start` stopped by the npm process id: SIGTERM to npm (what a process manager or `kill PID`
 * sends) stops the whole stack: npm and every process under it exit, and the stack's ports are
 * free again. (A shell between npm and the stack used to die alone, leaving the stack running.)
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname;

/** Every process below `pid` (from `ps`, on Linux and macOS alike). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const line of execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child && parent !== undefined) parents.set(child, parent);
  }
  const out: number[] = [];
  for (let frontier = [pid]; frontier.length > 0;) {
    frontier = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    out.push(...frontier);
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  try {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

describe('npm start and SIGTERM to the npm process', () => {
  it('stops the stack: no process left under npm, the ports free again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dmbs-npm-start-'));
    const npm = spawn('npm', ['start', '--silent', '--', '--json'], {
      cwd: REPO,
      env: { ...process.env, DMBS_DATA_DIR: dataDir, DMBS_PORT: '0', DMBS_S3_PORT: '0', DMBS_DYNAMODB_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    npm.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(npm, 'exit');
    let below: number[] = [];
    try {
      const endpoints = await new Promise<Record<'api' | 's3' | 'dynamoDb', string>>((resolve, reject) => {
        createInterface({ input: npm.stdout! }).on('line', (line) => {
          const msg = line.startsWith('{') ? (JSON.parse(line) as { ready?: boolean; endpoints?: Record<'api' | 's3' | 'dynamoDb', string> }) : {};
          if (msg.ready && msg.endpoints) resolve(msg.endpoints);
        });
        npm.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready: ${stderr}`)));
      });
      expect((await fetch(`${endpoints.api}/health`)).status).toBe(200);
      below = descendants(npm.pid!);
      expect(below.length).toBeGreaterThan(0);
      const ports = Object.values(endpoints).map((url) => Number(new URL(url).port));
      for (const port of ports) expect(await portIsFree(port), `port ${port} in use while running`).toBe(false);

      npm.kill('SIGTERM');
      const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      // npm returns once its child has exited; whatever else was below it must be gone as well.
      for (const deadline = Date.now() + 5000; below.some(alive) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
      expect(below.filter(alive)).toEqual([]);
      for (const port of ports) expect(await portIsFree(port), `port ${port} still in use`).toBe(true);
    } finally {
      for (const pid of [npm.pid!, ...below].filter(alive)) process.kill(pid, 'SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
