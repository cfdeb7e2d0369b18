/** The `dmbs` CLI run in the test's own process: its `main` with stdout and stderr collected. */
import { main } from '../../functions/cli/main.ts';

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `dmbs ARGS` in this process: what the process would print and its exit code, without starting
 * one (a process costs a Node start and the bundle's load; a few real ones check the wiring).
 */
export async function dmbsHere(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { status, stdout, stderr };
}
