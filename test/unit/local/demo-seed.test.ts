import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DEMO_DEALS, seedDemoData } from '../../../functions/local/demo-data.ts';

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
});
