/**
 * `dmbs rescore`: re-scores tapes under their deals' current criteria through the API (reviewer
 * or onboarding key): one tape (TAPE_ID), one deal's latest scored tape (--deal) or every deal's
 * (--all). Each becomes a new result revision of its tape. Waits for the job, printing its
 * progress (done / total) to stderr, then the counts; `--no-wait` prints the job and returns.
 */
import { parseArgs } from 'node:util';
import type { RescoreJob } from '../api/generated/api.ts';
import { ApiClient } from './api-client.ts';
import { resolveTarget } from './stack-target.ts';
import { UsageError } from './usage-error.ts';

export const RESCORE_USAGE = `usage: dmbs rescore (TAPE_ID | --deal ID [--issuer ID] | --all) [--no-wait] [--json] [--endpoint URL] [--token T]

  Re-scores under the deals' current criteria (reviewer or onboarding key): each tape gets a new
  result revision; earlier ones stay listed. Progress on stderr. Exit 0 when no tape failed, 1 otherwise.`;

export interface RescoreCommandOptions {
  readonly out?: NodeJS.WritableStream;
  readonly err?: NodeJS.WritableStream;
  /** Between polls of the job (default 500 ms). */
  readonly pollMs?: number;
}

/** Parses `rescore` arguments and runs it; returns the exit code. */
export async function runRescoreCommand(args: string[], options: RescoreCommandOptions = {}): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      deal: { type: 'string' }, issuer: { type: 'string' }, all: { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
      endpoint: { type: 'string' }, token: { type: 'string' },
    },
  });
  const tapeId = positionals[0];
  const picked = [tapeId !== undefined, values.deal !== undefined, values.all].filter(Boolean).length;
  if (positionals.length > 1 || picked !== 1) throw new UsageError(`rescore takes exactly one of TAPE_ID, --deal ID or --all\n${RESCORE_USAGE}`);
  if (values.issuer !== undefined && values.deal === undefined) throw new UsageError('--issuer goes with --deal (it names the deal\'s issuer when several use the id)');

  const api = new ApiClient(resolveTarget({ endpoint: values.endpoint, token: values.token }, 'reader'));
  let job = tapeId
    ? await api.post<RescoreJob>(`/v1/tapes/${encodeURIComponent(tapeId)}/rescore`, {})
    : await api.post<RescoreJob>('/v1/rescores', values.all ? { all: true } : { dealId: values.deal, ...(values.issuer ? { issuerId: values.issuer } : {}) });
  if (!values['no-wait']) {
    const pollMs = options.pollMs ?? 500;
    const progress = progressLine(err);
    progress(job);
    while (job.status !== 'DONE') {
      await new Promise((r) => setTimeout(r, pollMs));
      job = await api.get<RescoreJob>(job.links.self);
      progress(job);
    }
    progress.done();
  }
  out.write(values.json ? `${JSON.stringify(job, null, 2)}\n` : `${renderJob(job)}\n`);
  return job.failed > 0 ? 1 : 0;
}

/** One line per change of the count (redrawn in place on a terminal). */
function progressLine(stream: NodeJS.WritableStream): ((job: RescoreJob) => void) & { done(): void } {
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  let last = '';
  const draw = (job: RescoreJob) => {
    const text = `rescore ${job.jobId}: ${job.done}/${job.total ?? '?'} done (${job.scored} scored, ${job.failed} failed, ${job.skipped} skipped)`;
    if (text === last) return;
    last = text;
    stream.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
  };
  return Object.assign(draw, { done: () => void (tty && last ? stream.write('\n') : undefined) });
}

function renderJob(job: RescoreJob): string {
  const scope = job.scope.tapeId ? `tape ${job.scope.tapeId}` : job.scope.dealId ? `deal ${job.scope.issuerId ?? '-'}/${job.scope.dealId}` : 'every deal\'s latest tape';
  if (job.status !== 'DONE') return `re-score ${job.jobId} of ${scope} started; follow it with GET ${job.links.self}`;
  return `re-scored ${scope}: ${job.scored} new revision(s), ${job.failed} failed, ${job.skipped} skipped of ${job.total ?? 0} (job ${job.jobId})`;
}
