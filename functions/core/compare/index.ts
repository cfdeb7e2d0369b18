/** Comparing two scored tapes of a deal: loans added, removed and changed, and the reports' figures. */
export * from './money.ts';
export * from './loan-keys.ts';
export * from './loan-diff.ts';
export * from './report-diff.ts';
