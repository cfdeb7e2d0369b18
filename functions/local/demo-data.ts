/**
 * Demo data for `npm start -- --demo`: a few issuers and deals, each with monthly tape versions in
 * which the same loans evolve (demo-history.ts, deterministic seeds), uploaded through the real S3 client so that they flow through
 * the runner like any upload. Seeds once: a data directory that already has them is left alone.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { monthlyVersions, type DemoHistory } from './demo-history.ts';
import { toCsv, toNdjson } from './tape-generator.ts';
import { formatTapeKey } from '../pipeline/tape-key.ts';
import { computeTapeCsv } from './compute-tape-generator.ts';

/** One demo upload. */
export interface DemoTape {
  readonly issuerId: string;
  readonly dealId: string;
  readonly fileName: string;
  readonly reportingDate: string;
  readonly format: 'csv' | 'ndjson';
}

/** A demo deal: its monthly tapes evolve from one another (demo-history.ts). */
interface DemoDeal extends DemoHistory {
  readonly issuerId: string;
  readonly filePrefix: string;
  readonly format: 'csv' | 'ndjson';
  /** A deal of compute-equipment lot tapes (the generator's lots at each month's cut-off); default: loan tapes. */
  readonly kind?: 'compute';
}

/**
 * Four issuers, five deals, three monthly tapes each: version histories for compare, one deal with
 * many errors, one NDJSON, one of compute-equipment (GPU) lots with an issuer's own headers.
 */
export const DEMO_DEALS: readonly DemoDeal[] = [
  { issuerId: 'demo', dealId: 'deal-1', filePrefix: 'tape', rows: 400, seed: 101, format: 'csv', reportingDates: ['2026-08-31', '2026-09-30', '2026-10-31'], brokenShare: 0.01 },
  { issuerId: 'demo', dealId: 'deal-2', filePrefix: 'tape', rows: 250, seed: 201, format: 'csv', reportingDates: ['2026-08-31', '2026-09-30', '2026-10-31'], brokenShare: 0.15 },
  { issuerId: 'atlas-dc', dealId: 'atlas-2026-1', filePrefix: 'atlas', rows: 800, seed: 301, format: 'csv', reportingDates: ['2026-09-30', '2026-10-31', '2026-11-30'], brokenShare: 0.01 },
  { issuerId: 'northwind', dealId: 'nw-hyperscale-1', filePrefix: 'nw', rows: 300, seed: 401, format: 'ndjson', reportingDates: ['2026-08-31', '2026-09-30', '2026-10-31'], brokenShare: 0.03 },
  { issuerId: 'gridcompute', dealId: 'gpu-2026-1', filePrefix: 'lots', rows: 120, seed: 501, format: 'csv', reportingDates: ['2026-08-31', '2026-09-30', '2026-10-31'], brokenShare: 0, kind: 'compute' },
];

/** Every demo upload, in the order they are sent (each deal's versions oldest first). */
export const DEMO_TAPES: readonly DemoTape[] = DEMO_DEALS.flatMap((deal) => deal.reportingDates.map((reportingDate) => ({
  issuerId: deal.issuerId,
  dealId: deal.dealId,
  fileName: `${deal.filePrefix}-${reportingDate.slice(0, 7)}.${deal.format}`,
  reportingDate,
  format: deal.format,
})));

export interface SeedResult {
  /** Keys uploaded now (empty when the demo data was there already). */
  readonly uploaded: string[];
  readonly alreadyPresent: boolean;
}

/**
 * Uploads the demo tapes one after the other (versions of a deal in order), unless the first
 * one is in the bucket already. `settled(tape)`, when given, is awaited after each upload but a
 * deal's last: a month scored before the next is sent is the next one's prior tape, so the
 * watchlist compares each month with the one before.
 * @example await seedDemoData(stack.clients.s3, stack.bucket, DEMO_DEALS, { settled }); await stack.runner.whenIdle();
 */
export async function seedDemoData(
  s3: S3Client, bucket: string, deals: readonly DemoDeal[] = DEMO_DEALS, options: { settled?: (tape: DemoTape) => Promise<void> } = {},
): Promise<SeedResult> {
  const tapes = deals.flatMap((deal) => DEMO_TAPES.filter((t) => t.issuerId === deal.issuerId && t.dealId === deal.dealId));
  const first = tapes[0];
  if (!first) return { uploaded: [], alreadyPresent: false };
  if (await exists(s3, bucket, keyOf(first))) return { uploaded: [], alreadyPresent: true };
  const uploaded: string[] = [];
  for (const deal of deals) {
    const versions = bodiesOf(deal);
    for (const [i, body] of versions.entries()) {
      const tape = tapes.find((t) => t.dealId === deal.dealId && t.issuerId === deal.issuerId && t.reportingDate === deal.reportingDates[i])!;
      const key = keyOf(tape);
      await s3.send(new PutObjectCommand({
        Bucket: bucket, Key: key, Body: body,
        ContentType: deal.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
      }));
      uploaded.push(key);
      if (i < versions.length - 1) await options.settled?.(tape);
    }
  }
  return { uploaded, alreadyPresent: false };
}

/** Each month's tape of a deal, as uploaded. */
function bodiesOf(deal: DemoDeal): string[] {
  if (deal.kind === 'compute') {
    // the same lots (one seed) at each month's cut-off
    return deal.reportingDates.map((reportingDate) => computeTapeCsv({ rows: deal.rows, seed: deal.seed, reportingDate, dealId: deal.dealId, issuerHeaders: true }));
  }
  return monthlyVersions(deal).map((rows) => (deal.format === 'csv' ? toCsv(rows) : toNdjson(rows)));
}

function keyOf(tape: DemoTape): string {
  return formatTapeKey({ issuerId: tape.issuerId, dealId: tape.dealId, fileName: tape.fileName });
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((e as { name?: string }).name === 'NotFound' || status === 404) return false;
    throw e;
  }
}
