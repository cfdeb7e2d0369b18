import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { validRow } from '../../support/rows.ts';
import { tempDir } from '../../support/tape-files.ts';
import { toCsv } from '../../../bench/tape-generator.ts';

// `dmbs check --stress FILE` as a user runs it (the built bin).
const root = new URL('../../../', import.meta.url).pathname;
const dmbs = (...args: string[]) => spawnSync(process.execPath, [`${root}bin/dmbs.mjs`, ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, DMBS_DEBUG: '' } });
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const good = tmp.file('good.csv', toCsv([validRow(), validRow({ loanId: 'L-2' })], { columns: Object.keys(validRow()) }));

describe('dmbs check --stress', () => {
  it('the report carries the deal model, its tranches and the stressed loan figures', () => {
    const loans = `${tmp.dir}/loans.ndjson`;
    const r = dmbs('check', 'examples/dmbs-tape.csv', '--json', '--stress', 'examples/deal-stress.json', '--loans-out', loans);
    expect(r.status).toBe(0);
    const { stress, eligibility } = JSON.parse(r.stdout);
    expect(stress.model).toEqual({ id: 'example-deal-stress', version: '1' });
    expect(stress.tranches.map((t: { name: string }) => t.name)).toEqual(['Class A', 'Class B', 'Class C']);
    expect(stress.creditEnhancement).toHaveLength(7);
    const lines = readFileSync(loans, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.stressedValue !== null)).toHaveLength(eligibility.eligibleCount);
    expect(lines[0]).toHaveProperty('stressedDscr');
  });

  it('without --stress the default model runs', () => {
    const { stress } = JSON.parse(dmbs('check', good, '--json').stdout);
    expect(stress.model.id).toBe('dmbs-stress-default');
    expect(stress.tranches).toEqual([]);
  });

  it('prints the stress block: issuer against stressed, credit enhancement, tranches', () => {
    const r = dmbs('check', 'examples/dmbs-tape.csv', '--stress', 'examples/deal-stress.json');
    expect(r.stdout).toMatch(/^stress \(model example-deal-stress 1; .*not a credit rating\):$/m);
    expect(r.stdout).toMatch(/^ {2}NCF +USD [\d,]+\.\d\d +USD [\d,]+\.\d\d +\d+\.\d\d %$/m);
    expect(r.stdout).toMatch(/^ {4}AAA +63\.00 %/m);
    expect(r.stdout).toMatch(/^ {4}Class A +60\.00 % +40\.00 % +100\.00 %/m);
  });

  it.each([
    ['shares not summing to 1', '{"tranches":[{"name":"A","share":0.5}]}', /s\.json: \/tranches: the shares sum to 0\.5, not 1/],
    ['a bad value', '{"capRate":{"base":0}}', /s\.json: .*\/capRate\/base: must be > 0/],
    ['not JSON', '{', /s\.json: is not valid JSON/],
  ])('a stress file with %s: exit 2 naming the JSON path', (_name, text, message) => {
    const r = dmbs('check', good, '--stress', tmp.file('s.json', text));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
