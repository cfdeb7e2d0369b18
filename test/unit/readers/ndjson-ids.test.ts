import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quickNdjsonValue } from '../../support/quick-ndjson-value.ts';

describe('quickNdjsonValue reads a key without parsing the line, or declines', () => {
  it('reads a flat object the way JSON.parse does', () => {
    expect(quickNdjsonValue('{"loanId":"L-1","x":2}', 'loanId')).toBe('L-1');
    expect(quickNdjsonValue(' { "a" : 1 , "loanId" :  " L-2 " }', 'loanId')).toBe(' L-2 ');
    expect(quickNdjsonValue('{"Loan ID":"L-3"}', 'Loan ID')).toBe('L-3');
  });

  it.each([
    ['an escape anywhere', '{"loanId":"L-1","n":"a\\"b"}'],
    ['nesting', '{"m":{"loanId":"D"},"loanId":"L-1"}'],
    ['an array', '{"loanId":"L-1","a":[1]}'],
    ['the key twice', '{"loanId":"A","loanId":"B"}'],
    ['a number', '{"loanId":12}'],
    ['null', '{"loanId":null}'],
    ['the key only as a value', '{"a":"loanId","b":1}'],
    ['a BOM', '\ufeff{"loanId":"L-1"}'],
    ['a raw tab in the value', '{"loanId":"L\t1"}'],
    ['no key', '{"a":1}'],
    ['not an object', '"loanId"'],
  ])('declines: %s', (_, line) => {
    expect(quickNdjsonValue(line, 'loanId')).toBeUndefined();
  });

  it('never disagrees with JSON.parse on a line JSON.parse reads as a flat object (property)', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }));
    fc.assert(fc.property(fc.dictionary(fc.oneof(fc.constant('loanId'), fc.string()), value), fc.constantFrom(0, 1, 2), (object, spaces) => {
      const line = JSON.stringify(object, null, spaces ? ' '.repeat(spaces) : undefined).replace(/\n/g, ' ');
      const quick = quickNdjsonValue(line, 'loanId');
      if (quick !== undefined) expect(quick).toBe((JSON.parse(line) as Record<string, unknown>).loanId);
    }), { numRuns: 2000 });
  });
});
