/**
 * `dmbs report TAPE_ID`: the tape's full `dmbs-report/1` document from a running stack, as JSON
 * (the default, the same document `dmbs check --json` prints offline) or for people (--human).
 * Exit 1 when the tape has no results (not SCORED yet, FAILED, or a duplicate), saying why.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { DmbsReport } from '../core/generated/report.ts';
import { ApiClient, ApiRequestError } from './api-client.ts';
import { renderReport } from './human-output.ts';
import { renderComputeReport } from './compute-render.ts';
import { isComputeReport } from '../core/report/compute-report.ts';
import { resolveTarget } from './stack-target.ts';
import { UsageError } from './usage-error.ts';

export const REPORT_USAGE = `usage: dmbs report TAPE_ID [--human] [--out FILE] [--endpoint URL] [--token T]

  Prints a scored tape's report (dmbs-report/1 JSON; --human for a summary), or writes it to FILE.`;

/** Parses `report` arguments and runs it; returns the exit code. */
export async function runReportCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { human: { type: 'boolean', default: false }, out: { type: 'string' }, endpoint: { type: 'string' }, token: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError(`report takes exactly one TAPE_ID\n${REPORT_USAGE}`);
  const tapeId = positionals[0]!;
  const api = new ApiClient(resolveTarget({ endpoint: values.endpoint, token: values.token }, 'reader'), { timeoutMs: 120_000 });
  let report: DmbsReport;
  try {
    report = await api.get<DmbsReport>(`/v1/tapes/${encodeURIComponent(tapeId)}/report`);
  } catch (e) {
    if (e instanceof ApiRequestError && e.code === 'TAPE_NOT_SCORED') {
      process.stderr.write(`dmbs: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const text = values.human ? `${(isComputeReport(report) ? renderComputeReport(report) : renderReport(report)).join('\n')}\n` : `${JSON.stringify(report, null, 2)}\n`;
  if (values.out) {
    try {
      await writeFile(values.out, text);
    } catch (e) {
      throw new UsageError(`${values.out}: cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    process.stderr.write(`report of tape ${tapeId} written to ${values.out}\n`);
  } else {
    out.write(text);
  }
  return 0;
}
