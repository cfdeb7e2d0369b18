/**
 * `dmbs status [TAPE]`: without a tape id, the deals the key may see with their newest tape
 * (`--deal D`: that deal's tapes, newest first); with one, the tape's status, progress, reason
 * and summary. Against the local stack by default, a deployed one with --endpoint. Presentation
 * only: every figure comes from the API.
 */
import { parseArgs } from 'node:util';
import type { Deal, DealPage, Tape, TapeListItem, TapePage } from '../api/generated/api.ts';
import { printable } from '../core/printable.ts';
import { ApiClient } from './api-client.ts';
import { table } from './human-output.ts';
import { resolveTarget } from './stack-target.ts';
import { UsageError } from './usage-error.ts';

export const STATUS_USAGE = `usage: dmbs status [TAPE_ID] [--deal ID] [--json] [--endpoint URL] [--token T]

  Shows the deals you may see and their newest tape, one deal's tapes (--deal), or one tape.`;

/** Parses `status` arguments and runs it; returns the exit code (1 when the tape shown FAILED). */
export async function runStatusCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { deal: { type: 'string' }, json: { type: 'boolean', default: false }, endpoint: { type: 'string' }, token: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError(`status takes at most one TAPE_ID\n${STATUS_USAGE}`);
  const api = new ApiClient(resolveTarget({ endpoint: values.endpoint, token: values.token }, 'reader'));
  const write = (value: unknown, lines: () => string[]) => out.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : `${lines().join('\n')}\n`);

  const tapeId = positionals[0];
  if (tapeId) {
    const tape = await api.get<Tape>(`/v1/tapes/${encodeURIComponent(tapeId)}`);
    write(tape, () => renderTape(tape));
    return tape.status === 'FAILED' ? 1 : 0;
  }
  if (values.deal) {
    const page = await api.get<TapePage>(`/v1/deals/${encodeURIComponent(values.deal)}/tapes?limit=100`);
    write(page, () => renderTapeList(values.deal!, page.items));
    return 0;
  }
  const page = await api.get<DealPage>('/v1/deals?limit=100');
  write(page, () => renderDeals(page.items));
  return 0;
}

/** One tape, for people. */
export function renderTape(tape: Tape): string[] {
  const lines = [`tape ${tape.tapeId}  ${tape.status}${tape.progress.final ? '' : `  (step ${tape.progress.stepNumber} of ${tape.progress.stepCount}: ${tape.progress.step ?? '-'}, ${tape.progress.percent}%)`}`];
  lines.push(`  ${tape.issuerId ?? '-'} / ${tape.dealId ?? '-'} / ${printable(tape.fileName ?? tape.object.key)}   uploaded ${tape.uploadedAt}`);
  if (tape.failure) lines.push(`  ${tape.failure.code}: ${tape.failure.message}`);
  else if (tape.reason) lines.push(`  ${tape.reason}`);
  const s = tape.summary;
  if (s) {
    lines.push(
      `  ${s.rowCount.toLocaleString('en-US')} rows (${s.validRowCount.toLocaleString('en-US')} valid) · ${s.errorCount.toLocaleString('en-US')} errors, ${s.warningCount.toLocaleString('en-US')} warnings · data quality ${s.dataQualityScore} / 100`,
      `  eligible ${s.eligibleCount ?? '-'} · ineligible ${s.ineligibleCount ?? '-'} · eligible balance ${s.eligibleBalance ?? '-'}`,
      `  score ${s.scorePoints ?? '-'} (${s.scoreBand ?? 'no band'})${s.failedTests.length ? ` · failed tests ${s.failedTests.join(', ')}` : ''}`,
      `  report: dmbs report ${tape.tapeId}`,
    );
  }
  return lines;
}

function renderDeals(deals: readonly Deal[]): string[] {
  if (deals.length === 0) return ['no deals yet: upload a tape with `dmbs upload FILE --deal ID`'];
  return table([
    ['ISSUER', 'DEAL', 'NEWEST TAPE', 'STATUS', 'ERRORS', 'WARNINGS', 'INVALID ROWS', 'DATA QUALITY', 'SCORE BAND', 'TAPE ID'],
    ...deals.map((d) => [
      d.issuerId, d.dealId, d.latestTape?.fileName ?? '-', d.latestTape?.status ?? '-',
      count(d.latestTape?.errorCount), count(d.latestTape?.warningCount), count(d.latestTape?.invalidRowCount),
      d.latestTape?.dataQualityScore ?? '-', d.latestTape?.scoreBand ?? '-', d.latestTape?.tapeId ?? '-',
    ]),
  ]);
}

/** A count for a table cell; '-' while unknown (the tape not validated, or failed before). */
function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '-' : n.toLocaleString('en-US');
}

function renderTapeList(dealId: string, tapes: readonly TapeListItem[]): string[] {
  if (tapes.length === 0) return [`deal ${dealId} has no tapes yet`];
  return table([
    ['UPLOADED', 'FILE', 'STATUS', 'ROWS', 'ERRORS', 'WARNINGS', 'INVALID ROWS', 'DATA QUALITY', 'SCORE BAND', 'TAPE ID'],
    ...tapes.map((t) => [t.uploadedAt, t.fileName, t.status, count(t.rowCount), count(t.errorCount), count(t.warningCount), count(t.invalidRowCount), t.dataQualityScore ?? '-', t.scoreBand ?? '-', t.tapeId]),
  ]);
}
