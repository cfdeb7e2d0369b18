/**
 * Where a tape's result revisions live: revision 1 as before, a re-score's revision n writes only
 * its own evaluate/score artifacts under r{n}/ and reads the validate step's shared ones.
 */
import { describe, expect, it } from 'vitest';
import { artifactKeys, revisionOwnKeys } from '../../../functions/pipeline/state.ts';

const tapeId = 'f'.repeat(32);

describe('artifactKeys by revision', () => {
  it('revision 1 (the default) keeps every artifact under reports/{tapeId}/', () => {
    expect(artifactKeys(tapeId, 1)).toEqual(artifactKeys(tapeId));
    for (const key of Object.values(artifactKeys(tapeId))) expect(key).toMatch(new RegExp(`^reports/${tapeId}/[^/]*$`));
  });

  it('revision n shares the canonical loans, findings, validation and duplicate ids, and owns the rest under r{n}/', () => {
    const one = artifactKeys(tapeId);
    const three = artifactKeys(tapeId, 3);
    for (const shared of ['prefix', 'loans', 'findings', 'validation', 'duplicateLoanIds'] as const) expect(three[shared]).toBe(one[shared]);
    for (const own of ['loanResults', 'aggregate', 'criteria', 'stress', 'report', 'watchlist', 'watchlistLoans', 'curve'] as const) {
      expect(three[own]).toBe(one[own].replace(`reports/${tapeId}/`, `reports/${tapeId}/r3/`));
    }
    expect(revisionOwnKeys(tapeId, 3).sort()).toEqual([three.aggregate, three.criteria, three.loanResults, three.loanKeys, three.loanPages, three.loanPagesIndex, three.report, three.stress, three.watchlist, three.watchlistLoans, three.curve].sort());
    // What a failed re-score deletes never touches another revision's artifacts.
    expect(revisionOwnKeys(tapeId, 3).filter((k) => Object.values(one).includes(k) || Object.values(artifactKeys(tapeId, 2)).includes(k))).toEqual([]);
  });
});
