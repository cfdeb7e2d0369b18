import { describe, expect, it } from 'vitest';
import { loadCriteria } from '../../../../functions/core/evaluation/criteria.ts';
import { PoolAccumulator } from '../../../../functions/core/evaluation/pool-accumulator.ts';
import { POOL, testOf } from './pool.ts';

const ON = { concentrations: { C10: { enabled: true } } };
// B (30M, Microsoft group), C (20M, OpenAI) and X (ineligible) hold the right; D's is blank
const LOANS = POOL.map((l) => (['B', 'C', 'X'].includes(l.loanId) ? { ...l, earlyTerminationRight: true } : l.loanId === 'E' ? { ...l, earlyTerminationRight: false } : l));

describe('C10 share whose largest tenant may terminate early <= 0.25 (off by default)', () => {
  it('is off unless the deal switches it on', () => {
    expect(testOf('C10', undefined, LOANS)).toBeUndefined();
  });
  it('counts eligible loans whose earlyTerminationRight is true: 0.50 fails by 0.25', () => {
    expect(testOf('C10', ON, LOANS)).toMatchObject({
      actual: '0.500000', limit: '0.250000', pass: false, headroom: '-0.250000',
      top: [{ key: 'Microsoft Corporation', share: '0.300000' }, { key: 'OpenAI', share: '0.200000' }],
    });
  });
  it("passes under the deal's limit, and with no loan holding the right", () => {
    expect(testOf('C10', { concentrations: { C10: { enabled: true, max: 0.5 } } }, LOANS)).toMatchObject({ pass: true, headroom: '0.000000' });
    expect(testOf('C10', ON)).toMatchObject({ actual: '0.000000', pass: true, top: [] });
  });
  it('has no actual without an eligible pool', () => {
    expect(testOf('C10', ON, [])).toMatchObject({ actual: null, pass: false, headroom: null, top: [], reason: 'no eligible pool: the tape has no valid loan' });
  });
  it('keeps its sum through the stored state; a state stored before C10 reads as 0', () => {
    const criteria = loadCriteria(ON);
    const acc = new PoolAccumulator(criteria);
    for (const l of LOANS) acc.add(l);
    const state = JSON.parse(JSON.stringify(acc));
    expect(state.parts.C10.cents).toBe('5000000000');
    expect(PoolAccumulator.fromJSON(state, criteria).result().parts?.get('C10')?.cents).toBe(5_000_000_000n);
    const { parts: _older, ...before } = state;
    expect(PoolAccumulator.fromJSON(before, criteria).result().parts?.get('C10')?.cents).toBe(0n);
  });
});
