/**
 * How a step's error travels to the failure handler, the same way in AWS and locally. A user
 * error (DmbsError: a bad tape, a bad key) is the step's normal result: the state with `error`
 * set to `{ Error: 'DmbsUserError', Cause }` (message `CODE: message`), which the state machine's
 * Choice after the step sends to the failure handler — so a bad tape is no Lambda error and
 * pages nobody. Any other error is thrown; Step Functions retries it and its Catch puts the same
 * `{ Error, Cause }` shape at `$.error`. The failure handler turns either back into a reason a
 * person can act on. Internal errors never reach people: they get a reference to the run, the
 * logs keep the cause.
 */
import { isDmbsError } from '../core/errors.ts';
import type { TapeFailure } from './ports.ts';
import type { CaughtError, PipelineState } from './state.ts';
import { NON_RETRYABLE_ERRORS } from './steps.ts';

/**
 * Runs one step over `input`: its result, or — for a user error — `input` with `error` set (what
 * the state machine routes to the failure handler); any other error is thrown.
 * @example const out = await runStep(state, (s) => validateStep(s, ports)); if (out.error) ...
 */
export async function runStep<O, I extends object = PipelineState>(input: I, step: (state: I) => Promise<O>): Promise<O | (I & { error: CaughtError })> {
  try {
    return await step(input);
  } catch (e) {
    if (isDmbsError(e)) return { ...input, error: toCaughtError(e) };
    throw e;
  }
}

/** The error name that marks "the input is at fault" (never retried; see steps.ts). */
export const USER_ERROR_NAME = 'DmbsUserError';

/**
 * The error a step handler throws for `error`: DmbsErrors become `DmbsUserError` with
 * `CODE: message`; anything else is thrown unchanged (the logs keep it).
 */
export function toStepError(error: unknown): unknown {
  if (!isDmbsError(error)) return error;
  const e = new Error(`${error.code}: ${error.message}`, { cause: error });
  e.name = USER_ERROR_NAME;
  return e;
}

/** The `{ Error, Cause }` Step Functions' Catch would give for `error` (the local runner uses it). */
export function toCaughtError(error: unknown): CaughtError {
  const e = toStepError(error);
  const name = e instanceof Error ? e.name : 'Error';
  const message = e instanceof Error ? e.message : String(e);
  return { Error: name, Cause: JSON.stringify({ errorType: name, errorMessage: message }) };
}

/** True when a step must not be retried after `error` (same rule as the state machine's retriers). */
export function isRetryable(error: unknown): boolean {
  const name = toCaughtError(error).Error;
  return !(NON_RETRYABLE_ERRORS as readonly string[]).includes(name);
}

const USER_MESSAGE_RE = /^([A-Z][A-Z0-9_]*): ([\s\S]*)$/;

/**
 * The failure to show for a caught error. `reference` (the run id) lets an operator find the logs.
 * @example failureFrom({ Error: 'DmbsUserError', Cause: '{"errorMessage":"TAPE_EMPTY: the file is empty; ..."}' }, 'run-1')
 */
export function failureFrom(caught: CaughtError | undefined, reference: string, timeoutSeconds?: number): TapeFailure {
  const name = caught?.Error ?? 'Unknown';
  const message = causeMessage(caught?.Cause);
  if (name === USER_ERROR_NAME && message) {
    const m = USER_MESSAGE_RE.exec(message);
    if (m) return { code: m[1]!, message: m[2]!, userError: true };
  }
  if (name === 'States.Timeout' || name === 'Sandbox.Timedout') {
    return {
      code: 'TIMEOUT',
      message: `Processing took longer than one step may run${timeoutSeconds ? ` (${Math.round(timeoutSeconds / 60)} minutes)` : ''}; `
        + `the tape is probably larger than one function can handle. Split it into smaller tapes (see docs/aws.md, Limits) and upload again. Reference: ${reference}.`,
      userError: false,
    };
  }
  if (name === 'Runtime.OutOfMemory') {
    return {
      code: 'OUT_OF_MEMORY',
      message: `Processing ran out of memory; the tape is probably larger than one function can handle. Split it into smaller tapes (see docs/aws.md, Limits) and upload again. Reference: ${reference}.`,
      userError: false,
    };
  }
  return {
    code: 'INTERNAL',
    message: `The pipeline could not finish this tape because of an internal error; the operators have the details. Upload the tape again later, or contact support quoting reference ${reference}.`,
    userError: false,
  };
}

function causeMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
  } catch {
    return cause;
  }
}
