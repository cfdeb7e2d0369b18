import { describe, expect, it } from 'vitest';
import { GroupNames, groupKey, holdsValue, tenantGroupName } from '../../../functions/core/evaluation/group-key.ts';
import { loan } from './loans.ts';

describe('group keys', () => {
  it('compare trimmed, with whitespace runs collapsed, ignoring case', () => {
    expect(groupKey('  Microsoft \t  Corporation ')).toBe('microsoft corporation');
    expect(groupKey('MICROSOFT CORPORATION')).toBe(groupKey('microsoft corporation'));
    expect(groupKey('Microsoft Corp')).not.toBe(groupKey('Microsoft Corporation'));
    expect(groupKey('MicrosoftCorporation')).not.toBe(groupKey('Microsoft Corporation')); // spaces are collapsed, not removed
  });

  it('take the parent when it holds a value, else the tenant', () => {
    expect(tenantGroupName(loan())).toBe('Microsoft Corporation');
    expect(tenantGroupName(loan({ largestTenantParent: undefined }))).toBe('Microsoft Azure');
    expect(tenantGroupName(loan({ largestTenantParent: '   ' }))).toBe('Microsoft Azure');
    expect(tenantGroupName(loan({ largestTenantParent: 'ND2' }))).toBe('Microsoft Azure');
    expect(tenantGroupName(loan({ largestTenantParent: 'nd4-2027-01-31' }))).toBe('Microsoft Azure');
    expect(tenantGroupName(loan({ largestTenantParent: ' Alphabet Inc ' }))).toBe('Alphabet Inc');
  });

  it('treat ND1..ND5 as no value, and nothing else', () => {
    expect(['ND1', 'ND5', 'nd3', 'ND4-2027-01-31'].map(holdsValue)).toEqual([false, false, false, false]);
    expect(['ND6', 'NDA Holdings', 'N/D'].map(holdsValue)).toEqual([true, true, true]);
  });

  it('show the first spelling seen, also across merges in tape order', () => {
    const first = new GroupNames();
    const later = new GroupNames();
    first.add(' Microsoft  Corporation');
    later.add('MICROSOFT CORPORATION');
    later.add('Oracle');
    first.merge(later);
    expect(first.name(groupKey('microsoft corporation'))).toBe('Microsoft  Corporation');
    expect(first.name('oracle')).toBe('Oracle');
    expect(first.size).toBe(2);
  });
});
