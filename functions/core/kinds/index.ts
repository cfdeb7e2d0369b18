// The tape kinds: the interface every kind satisfies, and the kinds.
export type { KindAggregate, TapeKind } from './tape-kind.ts';
export { LOAN_TAPE_KIND, type CrossFieldRule, type LoanTapeKind, type LoanTapeSettings } from './loan-tape/kind.ts';
