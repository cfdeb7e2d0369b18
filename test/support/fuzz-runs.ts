/**
 * Runs of a property test: a default sized so the file stays fast on a loaded CI machine, or
 * FUZZ_RUNS when that is larger (`FUZZ_RUNS=20000 npx vitest run FILE` for a deeper search).
 */
export function fuzzRuns(byDefault: number): number {
  const asked = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(asked) && asked > byDefault ? asked : byDefault;
}
