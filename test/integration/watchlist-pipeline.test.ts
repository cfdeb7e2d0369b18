/**
 * The watchlist in the pipeline against the embedded S3 and DynamoDB: the prior tape is the deal's
 * SCORED tape with the latest earlier reportingDate, read from its stored loans, and the section
 * equals what `dmbs check TAPE --prior PRIOR` says offline for the same pair of files.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../functions/cli/check-command.ts';
import type { WatchlistSection } from '../../functions/core/watchlist/index.ts';
import { monthlyVersions } from '../../functions/local/demo-history.ts';
import { toCsv } from '../../functions/local/tape-generator.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { artifactKeys } from '../../functions/pipeline/state.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

let aws: EmbeddedAws;
let dir: string;
let runs = 0;
const dates = ['2026-08-31', '2026-09-30', '2026-10-31'];
const [aug, sep, oct] = monthlyVersions({ rows: 200, seed: 42, dealId: 'deal-w', reportingDates: dates }).map((rows) => toCsv(rows));

beforeAll(async () => {
  aws = await startEmbeddedAws();
  dir = await mkdtemp(join(tmpdir(), 'dmbs-watch-'));
});
afterAll(async () => {
  await aws?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function score(key: string, csv: string): Promise<string> {
  const { outcome, state } = await runPipeline(await aws.upload(key, csv), aws.ports, { runId: `w-${++runs}`, sleep: async () => {} });
  expect(outcome).toBe('scored');
  return state.tapeId!;
}

const watchlistOf = async (tapeId: string) => (await aws.store.getJson<{ watchlist: WatchlistSection }>(artifactKeys(tapeId).report)).watchlist;

/** `dmbs check TAPE --prior PRIOR --json`, offline. */
async function offline(tape: string, prior: string): Promise<WatchlistSection> {
  const [a, b] = [join(dir, `t-${++runs}.csv`), join(dir, `p-${runs}.csv`)];
  await writeFile(a, tape);
  await writeFile(b, prior);
  let text = '';
  const out = new Writable({ write(chunk, _e, done) { text += String(chunk); done(); } });
  await runCheck({ file: a, prior: b, json: true, dealId: 'deal-w' }, out);
  return (JSON.parse(text) as { watchlist: WatchlistSection }).watchlist;
}

describe('the watchlist in the pipeline', () => {
  it('compares each tape with the latest earlier scored tape, as dmbs check --prior does offline', async () => {
    // Uploaded out of order: October first (no earlier tape yet), then August, then September.
    const first = await score('incoming/acme/deal-w/oct.csv', oct!);
    const augId = await score('incoming/acme/deal-w/aug.csv', aug!);
    const sepId = await score('incoming/acme/deal-w/sep.csv', sep!);

    // October was scored when the deal had no earlier tape: its prior stays none (a re-score would choose again).
    expect((await watchlistOf(first)).priorTape).toBeNull();
    expect((await watchlistOf(augId)).priorTape).toBeNull();
    // September's prior is August (October is later, not earlier).
    const piped = await watchlistOf(sepId);
    expect(piped.priorTape).toEqual({ tapeId: augId, reportingDate: '2026-08-31' });
    const local = await offline(sep!, aug!);
    expect(local.priorTape).toMatchObject({ tapeId: null, reportingDate: '2026-08-31', fileName: expect.any(String) });
    const { priorTape: _a, ...pipedRest } = piped;
    const { priorTape: _b, ...localRest } = local;
    expect(pipedRest).toEqual(localRest);
    // The planted events show: coverage falls (W02), a tenant downgrade (W06).
    expect(piped.countsByCode.W02).toBeGreaterThan(0);
    expect(piped.countsByCode.W06).toBeGreaterThan(0);

    // The event names the prior; the listing artifact holds the watchlisted loans with prior and current values.
    const event = aws.events.events.find((e) => e.type === 'LoansWatchlisted' && e.detail.tapeId === sepId);
    expect(event?.detail).toMatchObject({ priorTape: { tapeId: augId }, loanCount: piped.loanCount, countsByCode: piped.countsByCode });
    const entries: Array<{ row: number; codes: string[]; prior: { dscr: number } | null; current: { dscr: number } }> = [];
    for await (const line of aws.store.readLines(artifactKeys(sepId).watchlistLoans, { gzip: true })) entries.push(JSON.parse(line));
    expect(entries.map((e) => [e.row, e.codes])).toEqual(piped.loans.map((l) => [l.row, l.codes]));
    const fell = entries.find((e) => e.codes.includes('W02'))!;
    expect(fell.current.dscr).toBeLessThanOrEqual(0.8 * fell.prior!.dscr);
  });

  it('a deal\'s watchlist file at watchlist/{issuerId}/{dealId}.json overrides the thresholds; a bad one fails the tape', async () => {
    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'watchlist/acme/deal-off.json', Body: JSON.stringify({ W01: { enabled: false }, W03: { enabled: false }, W04: { enabled: false }, W08: { maxLtv: 10 } }) }));
    const offId = await score('incoming/acme/deal-off/aug.csv', aug!);
    expect(await watchlistOf(offId)).toMatchObject({ priorTape: null, loanCount: 0, balance: '0.00', share: '0.000000', loans: [] });
    // An empty watchlist sends no LoansWatchlisted.
    expect(aws.events.events.filter((e) => e.detail.tapeId === offId).map((e) => e.type)).toEqual(['TapeScored']);

    await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'watchlist/acme/deal-bad.json', Body: JSON.stringify({ W01: { minDscr: 'high' } }) }));
    const { outcome, state } = await runPipeline(await aws.upload('incoming/acme/deal-bad/aug.csv', aug!), aws.ports, { runId: `w-${++runs}`, sleep: async () => {} });
    expect(outcome).toBe('failed');
    expect((await aws.results.getTape(state.tapeId!))?.failure).toMatchObject({
      code: 'WATCHLIST_CRITERIA_INVALID', userError: true, message: expect.stringMatching(/watchlist\/acme\/deal-bad\.json: \/W01\/minDscr/),
    });
  });
});
