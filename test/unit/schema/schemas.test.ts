import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GENERATED_TYPES, renderTypes } from '../../../scripts/schema-types.ts';
import { renderStandardDoc } from '../../../scripts/standard-doc.ts';
import { GENERATED_VALIDATORS, renderValidator } from '../../../scripts/validator-code.ts';
import { headerKey } from '../../../functions/core/mapping/header-key.ts';
import { FIELDS } from '../../../functions/core/schema/loan-tape-schema.ts';
import { createAjv } from '../../../functions/core/schema/ajv.ts';

const root = new URL('../../..', import.meta.url).pathname;

describe('schemas are the single source of truth', () => {
  it.each(GENERATED_TYPES)('generated types for $schema are current (npm run gen:types)', async (entry) => {
    const committed = await readFile(`${root}/${entry.out}`, 'utf8');
    expect(committed).toBe(await renderTypes(root, entry));
  });

  it.each(GENERATED_VALIDATORS)('generated validator $name is current (npm run gen:validators)', async (entry) => {
    const committed = await readFile(`${root}/${entry.out}`, 'utf8');
    expect(committed).toBe(renderValidator(entry));
  });

  it('the generated validators agree with ajv compiling the same definitions at run time', async () => {
    const ajvRows: unknown[] = [
      {},
      { loanId: 'L-1' },
      { loanId: 'bad id!', currentBalance: -1, currency: 'usd', originationDate: '2026-02-30' },
      { loanId: 'x'.repeat(65), facilityName: '\u{1F600}'.repeat(200) },
    ];
    for (const entry of GENERATED_VALIDATORS) {
      const generated = (await import(`${root}/${entry.out}`)).default;
      const compiled = createAjv(entry.options).compile(entry.schema());
      for (const row of ajvRows) {
        expect(generated(row)).toBe(compiled(row));
        expect(generated.errors ?? null).toEqual(compiled.errors ?? null);
      }
    }
  });

  it('docs/standard.md is current (npm run gen:docs)', async () => {
    expect(await readFile(`${root}/docs/standard.md`, 'utf8')).toBe(await renderStandardDoc(root));
  });

  it.each(['dmbs-loan-tape.v1', 'dmbs-report.v1', 'column-mapping.v1', 'stress-model', 'watchlist-criteria', 'dmbx-rulebook'])('%s compiles under strict JSON Schema 2020-12', async (name) => {
    const schema = JSON.parse(await readFile(`${root}/schemas/${name}.schema.json`, 'utf8'));
    expect(() => createAjv().compile(schema)).not.toThrow();
  });
});

describe('loan-tape schema annotations', () => {
  it('covers every field of the standard (61) with kind, criticality and description', () => {
    expect(FIELDS).toHaveLength(61);
    for (const f of FIELDS) {
      expect(f.description.length, f.name).toBeGreaterThan(5);
      expect(f.criticality, f.name).toBeGreaterThan(0);
      expect(f.ndAllowed, f.name).toBe(!f.required);
    }
  });

  it('gives every required field at least three realistic header aliases', () => {
    for (const f of FIELDS.filter((x) => x.required)) expect(f.aliases.length, f.name).toBeGreaterThanOrEqual(3);
  });

  it('has no alias that two fields share once normalised', () => {
    const owner = new Map<string, string>();
    for (const f of FIELDS) {
      for (const a of [f.name, ...f.aliases]) {
        const key = headerKey(a);
        expect(owner.get(key) ?? f.name, `${a} is claimed by ${owner.get(key)} and ${f.name}`).toBe(f.name);
        owner.set(key, f.name);
      }
    }
  });

  it('weights fields that drive tests above optional ones', () => {
    const weight = (n: string) => FIELDS.find((f) => f.name === n)!.criticality;
    expect(weight('currentBalance')).toBeGreaterThan(weight('facilityName'));
    expect(weight('dscr')).toBeGreaterThan(weight('pue'));
  });
});

describe('published defaults of deal configuration documents', () => {
  it.each(['stress-model', 'watchlist-criteria', 'dmbx-rulebook'])('schemas/%s.json satisfies its schema', async (name) => {
    const schema = JSON.parse(await readFile(`${root}/schemas/${name}.schema.json`, 'utf8'));
    const defaults = JSON.parse(await readFile(`${root}/schemas/${name}.json`, 'utf8'));
    const validate = createAjv().compile(schema);
    expect(validate(defaults), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the watchlist defaults give every code W01-W08', async () => {
    const defaults = JSON.parse(await readFile(`${root}/schemas/watchlist-criteria.json`, 'utf8'));
    expect(Object.keys(defaults).filter((k) => /^W\d\d$/.test(k))).toEqual(['W01', 'W02', 'W03', 'W04', 'W05', 'W06', 'W07', 'W08']);
  });
});
