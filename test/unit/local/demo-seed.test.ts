import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DEMO_DEALS, seedDemoData } from '../../../functions/local/demo-data.ts';
import { COMPUTE_KIND } from '../../../functions/core/kinds/compute/kind.ts';
import { detectKind } from '../../../functions/core/kinds/registry.ts';

describe('seedDemoData', () => {
  it('waits for each month but a deal\'s last to settle before sending the next (so each is the next one\'s prior)', async () => {
    const sent: string[] = [];
    const s3 = {
      send: async (command: { input: { Key: string } }) => {
        if (command instanceof HeadObjectCommand) throw Object.assign(new Error('not found'), { name: 'NotFound' });
        sent.push(command.input.Key);
      },
    } as unknown as S3Client;
    const settled: string[] = [];
    const deal = DEMO_DEALS[0]!;
    const result = await seedDemoData(s3, 'bucket', [deal], {
      settled: async (tape) => {
        // Called after that month's upload, before the next one's.
        expect(sent.at(-1)).toBe(`incoming/${tape.issuerId}/${tape.dealId}/${tape.fileName}`);
        settled.push(tape.reportingDate);
      },
    });
    expect(result.uploaded).toEqual(sent);
    expect(sent).toHaveLength(deal.reportingDates.length);
    expect(settled).toEqual(deal.reportingDates.slice(0, -1));
  });

  it('sends the compute deal\'s monthly tapes, each a compute tape at its own cut-off', async () => {
    const bodies: string[] = [];
    const s3 = {
      send: async (command: { input: { Key: string; Body: string } }) => {
        if (command instanceof HeadObjectCommand) throw Object.assign(new Error('not found'), { name: 'NotFound' });
        bodies.push(command.input.Body);
      },
    } as unknown as S3Client;
    const deal = DEMO_DEALS.find((d) => d.kind === 'compute')!;
    await seedDemoData(s3, 'bucket', [deal]);
    expect(bodies).toHaveLength(deal.reportingDates.length);
    bodies.forEach((body, i) => {
      const [header, first] = body.split('\n');
      expect(detectKind(header!.split(','))).toBe(COMPUTE_KIND);
      expect(first).toContain(deal.reportingDates[i]);
    });
  });
});
