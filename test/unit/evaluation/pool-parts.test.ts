import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { PoolParts, partTotal, type PartTotal, type PoolPart } from '../../../functions/core/evaluation/pool-parts.ts';
import { loan } from './loans.ts';

const criteria = loadCriteria();
// two parts declared here, as a test's file would: one with groups, one without
const DECLARED: ReadonlyArray<readonly [string, PoolPart]> = [
  ['T1', { counts: () => (l) => l.earlyTerminationRight === true, groupBy: 'markets' }],
  ['T2', { counts: (_c, date) => (l) => l.maturityDate > date }],
];

function partsOf(loans: ReadonlyArray<{ market: string; cents: number; early: boolean }>): PoolParts {
  const parts = new PoolParts(DECLARED, criteria);
  parts.start('2026-10-31');
  for (const l of loans) parts.add(loan({ market: l.market, earlyTerminationRight: l.early }), l.cents);
  return parts;
}

function plain(result: ReadonlyMap<string, PartTotal>) {
  return [...result].map(([name, t]) => [name, t.cents, t.groups.map((g) => [g.key, g.cents])]);
}

const arbLoans = fc.array(
  fc.record({ market: fc.constantFrom('Dallas', 'dallas ', 'Phoenix', 'Dublin'), cents: fc.integer({ min: 0, max: 2 ** 51 }), early: fc.boolean() }),
  { maxLength: 40 },
);

describe('PoolParts: the sums tests declare', () => {
  it('sums the counted balance, per group with the first spelling, largest first', () => {
    const r = partsOf([
      { market: 'Dallas', cents: 500, early: true },
      { market: 'Phoenix', cents: 700, early: true },
      { market: ' DALLAS', cents: 300, early: true },
      { market: 'Dublin', cents: 900, early: false },
    ]).result();
    expect(plain(r)).toEqual([
      ['T1', 1500n, [['Dallas', 800n], ['Phoenix', 700n]]],
      ['T2', 2400n, []],
    ]);
    expect(partTotal(r, 'T9')).toEqual({ cents: 0n, groups: [] });
    expect(partTotal(undefined, 'T1').cents).toBe(0n);
  });

  it('merges chunks, through JSON and the transfer form, exactly as the whole', () => {
    fc.assert(
      fc.property(arbLoans, fc.nat(), (loans, cut) => {
        const at = cut % (loans.length + 1);
        const whole = plain(partsOf(loans).result());
        const [a, b] = [partsOf(loans.slice(0, at)), partsOf(loans.slice(at))];
        const viaJson = new PoolParts(DECLARED, criteria);
        viaJson.load(JSON.parse(JSON.stringify(a.toJSON(true))));
        viaJson.merge(partsOf([]));
        const second = new PoolParts(DECLARED, criteria);
        second.load(JSON.parse(JSON.stringify(b.toJSON(true))));
        viaJson.merge(second);
        const viaTransfer = partsOf(loans.slice(0, at));
        viaTransfer.mergeTransfer(structuredClone(b.toTransfer()));
        a.merge(b);
        expect(plain(a.result())).toEqual(whole);
        expect(plain(viaJson.result())).toEqual(whole);
        expect(plain(viaTransfer.result())).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('reads a state stored before a part existed as an empty part', () => {
    const parts = new PoolParts(DECLARED, criteria);
    parts.load({ T2: { cents: '42', names: [], groups: [] } });
    expect(plain(parts.result())).toEqual([['T1', 0n, []], ['T2', 42n, []]]);
    parts.load(undefined);
    expect(partTotal(parts.result(), 'T2').cents).toBe(42n);
  });
});
