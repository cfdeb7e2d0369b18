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

/**
 * The one move out of a final status: a DUPLICATE's results were to be its original's, so when
 * the original ends FAILED the duplicate is marked FAILED with this reason (same code, and
 * whether the user can fix it, as the original's). Uploading the file again processes it:
 * a failed original hands its bytes over.
 */
export function duplicateFailure(originalTapeId: string, original: { code: string; message: string; userError: boolean }): { code: string; message: string; userError: boolean } {
  return {
    code: original.code,
    message: `This upload has the same bytes as tape ${originalTapeId}, whose results were to apply to it, and that tape failed: ${original.message}`,
    userError: original.userError,
  };
}

export function isFinalStatus(status: TapeStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
