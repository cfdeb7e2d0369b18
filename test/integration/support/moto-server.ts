/**
 * moto_server for the integration tests: whether it is on PATH, and one started on a free
 * loopback port, stopped by the test that started it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** Why moto_server cannot run, or undefined when it can. */
export function motoUnavailable(): string | undefined {
  const probe = spawnSync('moto_server', ['--help'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `moto_server is not on PATH (${probe.error?.message ?? probe.stderr.trim()}); install it with "pip install 'moto[server]'"`;
}

export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const kill = () => moto.kill();
  process.once('exit', kill);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline || moto.exitCode !== null) throw new Error(`moto_server did not start on ${endpoint}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    async stop() {
      process.off('exit', kill);
      if (moto.exitCode !== null) return;
      const exited = once(moto, 'exit');
      moto.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
