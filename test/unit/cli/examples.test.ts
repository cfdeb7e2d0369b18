import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The examples/ files as the README's tour uses them, through the built CLI.
const root = new URL('../../../', import.meta.url).pathname;
const dmbs = (...args: string[]) => spawnSync(process.execPath, [`${root}bin/dmbs.mjs`, ...args], { encoding: 'utf8', cwd: root });
const report = (...args: string[]) => {
  const r = dmbs(...args, '--json');
  return { status: r.status, report: JSON.parse(r.stdout) as { validation: { validRowCount: number; invalidRowCount: number; errors: Array<{ row: number; code: string; field: string | null; value: string | null }> }; concentrations: Array<{ id: string; limit: string }> } };
};

describe('examples/', () => {
  it('the issuer tape without its mapping: every unknown header gets what it probably is', () => {
    const { status, report: r } = report('check', 'examples/issuer-tape.csv');
    expect(status).toBe(1);
    const unknown = r.validation.errors.filter((f) => f.code === 'UNKNOWN_COLUMN').map((f) => f.value);
    expect(unknown).toEqual(expect.arrayContaining(['Curr Bal', 'Note Rate (%)', 'Top Tenant', 'Maturity (MM/DD/YYYY)']));
    expect(r.validation.validRowCount).toBe(0);
  });

  it('with its mapping and the deal criteria: every loan valid, the deal limits applied', () => {
    const { status, report: r } = report('check', 'examples/issuer-tape.csv', '--mapping', 'examples/issuer-mapping.json', '--criteria', 'examples/deal-criteria.json');
    expect(status).toBe(0);
    expect(r.validation).toMatchObject({ validRowCount: 12, invalidRowCount: 0 });
    expect(r.concentrations.find((t) => t.id === 'C04')?.limit).toBe('0.250000');
  });

  it('the broken tape: each planted defect is named', () => {
    const { status, report: r } = report('check', 'examples/broken-tape.csv', '--mapping', 'examples/issuer-mapping.json');
    expect(status).toBe(1);
    const found = r.validation.errors.map((f) => `${f.row}:${f.field}:${f.code}`);
    expect(found).toEqual(['2:loanId:DUPLICATE_ID', '3:currentBalance:RANGE', '4:maturityDate:FORMAT', '5:loanId:DUPLICATE_ID', '6:largestTenantRating:ENUM', '7:dscr:TYPE']);
  });
});
