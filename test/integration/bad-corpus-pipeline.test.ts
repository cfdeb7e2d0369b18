/**
 * The bad-input corpus (test/fixtures/bad) through the pipeline (issue 9): the same files that
 * `dmbs check` answers with exit 2 end FAILED with the same reason (as a user error, never
 * retried, nothing left under reports/), and the readable ones are SCORED with the same findings
 * as `dmbs check --json` — or, when no row is a valid loan, FAILED NO_VALID_LOANS with those
 * findings and the validation report kept. Real SDK clients against the embedded emulators.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { artifactKeys } from '../../functions/pipeline/state.ts';
import { BUCKET, startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

const dir = new URL('../fixtures/bad/', import.meta.url).pathname;
const expected: Record<string, { exit: number; stderr?: string; findings?: string[]; findingsInclude?: string[] }> =
  JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
delete (expected as Record<string, unknown>).$comment;

let aws: EmbeddedAws;
beforeAll(async () => { aws = await startEmbeddedAws(); });
afterAll(async () => { await aws?.stop(); });

describe('bad-input corpus through the pipeline', () => {
  it('covers every file of the corpus', () => {
    expect(readdirSync(dir).filter((f) => f !== 'expected.json').sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s', async (file, outcome) => {
    const object = await aws.upload(`incoming/corpus/deal-${file.replace(/[^A-Za-z0-9]/g, '-')}/${file}`, readFileSync(join(dir, file)));
    const { outcome: result, state } = await runPipeline(object, aws.ports, { runId: `run-${file}`, sleep: async () => {} });
    const tape = await aws.results.getTape(state.tapeId!);
    if (outcome.exit === 2) {
      expect(result).toBe('failed');
      expect(tape).toMatchObject({ status: 'FAILED', failure: { userError: true } });
      expect(tape!.failure!.message).toMatch(new RegExp(outcome.stderr!));
      const left = await aws.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: artifactKeys(state.tapeId!).prefix }));
      expect(left.Contents ?? []).toEqual([]);
    } else {
      // SCORED, or FAILED NO_VALID_LOANS when no row is a valid loan (report and findings kept).
      const keys = artifactKeys(state.tapeId!);
      type Counts = { validation: { validRowCount: number; rowCount: number; invalidRowCount: number; errorCount: number; warningCount: number } };
      const stored = await aws.store.getJson<Counts>(tape?.status === 'SCORED' ? keys.validation : keys.report);
      const { rowCount, validRowCount, invalidRowCount, errorCount, warningCount } = stored.validation;
      let report: { validation: { errors: Array<{ row: number; field: string | null; code: string }> } };
      if (validRowCount === 0) {
        expect(result).toBe('failed');
        expect(tape).toMatchObject({ status: 'FAILED', failure: {
          code: 'NO_VALID_LOANS', userError: true,
          validation: { rowCount, validRowCount, invalidRowCount, errorCount, warningCount },
          artifacts: { report: keys.report, findings: keys.findings },
        } });
        const left = await aws.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: keys.prefix }));
        expect((left.Contents ?? []).map((o) => o.Key).sort()).toEqual([keys.findings, keys.report].sort());
        report = await aws.store.getJson(keys.report);
      } else {
        expect(result).toBe('scored');
        expect(tape?.status).toBe('SCORED');
        report = await aws.store.getJson(tape!.artifacts!.report);
      }
      const got = [...new Set(report.validation.errors.map((e) => `${e.row}:${e.field ?? '-'}:${e.code}`))].sort();
      if (outcome.findings) expect(got).toEqual([...outcome.findings].sort());
      for (const f of outcome.findingsInclude ?? []) expect(got).toContain(f);
    }
  });
});
