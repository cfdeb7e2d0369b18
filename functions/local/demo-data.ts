/**
 * Demo data for `npm start -- --demo`: a few issuers, deals and tape versions made by the bench
 * generator (deterministic seeds), uploaded through the real S3 client so that they flow through
 * the runner like any upload. Seeds once: a data directory that already has them is left alone.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { generateTape, toCsv, toNdjson } from './tape-generator.ts';
import { formatTapeKey } from '../aws/tape-key.ts';

/** One demo upload. */
export interface DemoTape {
  readonly issuerId: string;
  readonly dealId: string;
  readonly fileName: string;
  readonly rows: number;
  readonly seed: number;
  readonly reportingDate: string;
  /** Share of rows with one planted defect (so the errors table has something to show). */
  readonly brokenShare: number;
  readonly format: 'csv' | 'ndjson';
}

/** Three issuers, four deals, seven tapes: version histories for the compare view, one tape with many errors, one NDJSON. */
export const DEMO_TAPES: readonly DemoTape[] = [
  { issuerId: 'demo', dealId: 'deal-1', fileName: 'tape-2026-08.csv', rows: 400, seed: 101, reportingDate: '2026-08-31', brokenShare: 0.02, format: 'csv' },
  { issuerId: 'demo', dealId: 'deal-1', fileName: 'tape-2026-09.csv', rows: 420, seed: 102, reportingDate: '2026-09-30', brokenShare: 0.01, format: 'csv' },
  { issuerId: 'demo', dealId: 'deal-1', fileName: 'tape-2026-10.csv', rows: 450, seed: 103, reportingDate: '2026-10-31', brokenShare: 0, format: 'csv' },
  { issuerId: 'demo', dealId: 'deal-2', fileName: 'tape-2026-10.csv', rows: 250, seed: 201, reportingDate: '2026-10-31', brokenShare: 0.15, format: 'csv' },
  { issuerId: 'atlas-dc', dealId: 'atlas-2026-1', fileName: 'atlas-q3.csv', rows: 800, seed: 301, reportingDate: '2026-09-30', brokenShare: 0.01, format: 'csv' },
  { issuerId: 'atlas-dc', dealId: 'atlas-2026-1', fileName: 'atlas-q4.csv', rows: 820, seed: 302, reportingDate: '2026-12-31', brokenShare: 0, format: 'csv' },
  { issuerId: 'northwind', dealId: 'nw-hyperscale-1', fileName: 'nw-2026-10.ndjson', rows: 300, seed: 401, reportingDate: '2026-10-31', brokenShare: 0.03, format: 'ndjson' },
];

export interface SeedResult {
  /** Keys uploaded now (empty when the demo data was there already). */
  readonly uploaded: string[];
  readonly alreadyPresent: boolean;
}

/**
 * Uploads the demo tapes one after the other (versions of a deal in order), unless the first
 * one is in the bucket already.
 * @example await seedDemoData(stack.clients.s3, stack.bucket); await stack.runner.whenIdle();
 */
export async function seedDemoData(s3: S3Client, bucket: string, tapes: readonly DemoTape[] = DEMO_TAPES): Promise<SeedResult> {
  const first = tapes[0];
  if (!first) return { uploaded: [], alreadyPresent: false };
  if (await exists(s3, bucket, keyOf(first))) return { uploaded: [], alreadyPresent: true };
  const uploaded: string[] = [];
  for (const tape of tapes) {
    const { rows } = generateTape({ rows: tape.rows, seed: tape.seed, reportingDate: tape.reportingDate, dealId: tape.dealId, brokenShare: tape.brokenShare });
    const body = tape.format === 'csv' ? toCsv(rows) : toNdjson(rows);
    const key = keyOf(tape);
    await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: key, Body: body,
      ContentType: tape.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    }));
    uploaded.push(key);
  }
  return { uploaded, alreadyPresent: false };
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
