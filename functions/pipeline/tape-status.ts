/**
 * A tape's status and the transitions the pipeline allows. The repository enforces them with
 * conditional writes; the API shows them. Pure data, no I/O.
 */

export const TAPE_STATUSES = ['RECEIVED', 'VALIDATING', 'EVALUATING', 'SCORING', 'SCORED', 'FAILED', 'DUPLICATE'] as const;
export type TapeStatus = (typeof TAPE_STATUSES)[number];

/** Statuses a tape never leaves. SCORED: results visible; FAILED: reason visible; DUPLICATE: same bytes as an earlier tape of the deal. */
export const FINAL_STATUSES: readonly TapeStatus[] = ['SCORED', 'FAILED', 'DUPLICATE'];

/** Statuses a tape may be in while a run owns it. */
export const ACTIVE_STATUSES: readonly TapeStatus[] = ['RECEIVED', 'VALIDATING', 'EVALUATING', 'SCORING'];

/**
 * To -> the statuses it may be entered from. Entering a status from itself is allowed so that a
 * retried step (same run) passes its own condition again.
 */
export const ALLOWED_FROM: Readonly<Record<Exclude<TapeStatus, 'RECEIVED'>, readonly TapeStatus[]>> = {
  VALIDATING: ['RECEIVED', 'VALIDATING'],
  EVALUATING: ['VALIDATING', 'EVALUATING'],
  SCORING: ['EVALUATING', 'SCORING'],
  SCORED: ['SCORING'],
  DUPLICATE: ['VALIDATING'],
  FAILED: ACTIVE_STATUSES,
};

export function isFinalStatus(status: TapeStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
