/** Tape object keys: the one validated reading of incoming/{issuerId}/{dealId}/{fileName}. */
import { describe, expect, it } from 'vitest';
import { formatTapeKey, issuerPrefix, parseTapeKey } from '../../../functions/pipeline/tape-key.ts';

const reason = (key: string) => {
  const r = parseTapeKey(key);
  if (r.ok) throw new Error(`accepted ${key}`);
  return r.reason;
};

describe('parseTapeKey', () => {
  it('reads a tape key', () => {
    expect(parseTapeKey('incoming/acme-capital/DMBS_2026-1/tape.v2.csv')).toEqual({
      ok: true, parts: { issuerId: 'acme-capital', dealId: 'DMBS_2026-1', fileName: 'tape.v2.csv' },
    });
  });

  it.each([
    ['reports/x/report.json', /is not under incoming\//],
    ['incoming/acme/tape.csv', /has 2 parts after incoming\/ where 3 are expected/],
    ['incoming/acme/deal/sub/tape.csv', /has 4 parts after incoming\//],
    ['incoming/acme/deal-1/', /is a folder marker, not a tape/],
    ['incoming//deal-1/tape.csv', /issuerId is empty/],
    ['incoming/acme/../tape.csv', /dealId '..' contains '\.\.'/],
    ['incoming/acme/deal-1/tape..csv', /fileName 'tape\.\.csv' contains '\.\.'/],
    ['incoming/acme/deal-1/.hidden.csv', /fileName '\.hidden\.csv' must start with a letter or digit/],
    ['incoming/acme/deal-1/my tape.csv', /fileName 'my tape\.csv' contains a space; use only letters, digits.*e\.g\. 'my-tape\.csv'/],
    ['incoming/ac%2Fme/deal-1/tape.csv', /issuerId 'ac%2Fme' contains '%'/],
    ['incoming/acme/deal-1/t\u0000.csv', /contains a control character \(U\+0000\)/],
    ['incoming/acme/deal-1/tap€.csv', /contains '€'/],
    [`incoming/${'a'.repeat(65)}/deal-1/tape.csv`, /issuerId has 65 characters; at most 64/],
    [`incoming/acme/deal-1/${'f'.repeat(201)}`, /fileName has 201 characters; at most 200/],
    [`incoming/acme/deal-1/${'f'.repeat(1100)}`, /S3 keys have at most 1,024/],
  ])('rejects %j with a reason', (key, expected) => {
    expect(reason(key)).toMatch(expected);
  });

  it('never echoes control characters into a reason', () => {
    expect(reason('incoming/acme/deal-1/\u001b[31mred.csv')).not.toMatch(/\u001b/);
  });
});

describe('formatTapeKey / issuerPrefix', () => {
  it('build keys, refusing bad parts', () => {
    expect(formatTapeKey({ issuerId: 'acme', dealId: 'deal-1', fileName: 'tape.csv' })).toBe('incoming/acme/deal-1/tape.csv');
    expect(() => formatTapeKey({ issuerId: 'acme', dealId: '..', fileName: 'tape.csv' })).toThrow(RangeError);
    expect(issuerPrefix('acme')).toBe('incoming/acme/');
    expect(() => issuerPrefix('../x')).toThrow(/issuerId/);
  });
});
