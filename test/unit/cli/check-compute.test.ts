/**
 * `dmbs check` of a compute tape: the kind detected from the header, the compute report printed,
 * --kind and its KIND_MISMATCH, the deal's criteria and curve read as the compute kind's.
 */
import { describe, expect, it } from 'vitest';
import { dmbsHere } from '../../support/cli.ts';

const example = new URL('../../../examples/compute-tape.csv', import.meta.url).pathname;
const criteria = new URL('../../../examples/compute-criteria.json', import.meta.url).pathname;

describe('dmbs check of a compute tape', () => {
  it('detects the kind and prints the lots, the K tests and the residual LTV path', async () => {
    const r = await dmbsHere('check', example);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('eligibility: 7 eligible, 5 ineligible lots');
    expect(r.stdout).toMatch(/K06 +pass/);
    expect(r.stdout).toMatch(/2029-12-31 .* 75\.76 % +<- worst/);
  });

  it('writes tape.kind and the compute sections with --json', async () => {
    const r = await dmbsHere('check', example, '--json', '--kind', 'compute');
    const report = JSON.parse(r.stdout);
    expect(report.tape.kind).toBe('compute');
    expect(report.pool.lotCount).toBe(7);
    expect(report).not.toHaveProperty('stress');
  });

  it('exits 2 naming KIND_MISMATCH when the tape is named a loan tape', async () => {
    const r = await dmbsHere('check', example, '--kind', 'loan');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the header makes a compute tape');
    const bad = await dmbsHere('check', example, '--kind', 'gpu');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--kind must be loan or compute, not 'gpu'");
  });

  it('refuses --prior with a compute tape: the watchlist compares loans', async () => {
    const prior = new URL('../../../examples/dmbs-tape.csv', import.meta.url).pathname;
    const named = await dmbsHere('check', example, '--kind', 'compute', '--prior', prior);
    expect(named.status).toBe(2);
    expect(named.stderr).toContain('--prior compares loans: it reads loan tapes only, not --kind compute');
    const detected = await dmbsHere('check', example, '--prior', prior);
    expect(detected.status).toBe(2);
    expect(detected.stderr).toContain('--prior compares loans, so both tapes are read as loan tapes); send a loan tape, or check it without --prior');
  });

  it("reads --criteria as the compute kind's criteria", async () => {
    const r = await dmbsHere('check', example, '--json', '--criteria', criteria);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.concentrations.find((t: { id: string }) => t.id === 'K01')).toMatchObject({ limit: '0.500000' });
  });
});
