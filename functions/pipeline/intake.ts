/**
 * The intake's starter: takes a batch of queued uploads and starts one pipeline run per upload
 * while fewer than the cap are in flight; the rest stay queued and come back later. The cap keeps
 * a month-end burst from taking all of the account's Lambda concurrency (the API needs some) and
 * from throttling the steps. Pure over the `RunStarter` port (functions/aws/run-starter.ts).
 */
import type { TapeObject } from './state.ts';

/** One queued upload: the SQS message id and its body, `{ "eventId": …, "object": {…} }` (the rule's input transformer). */
export interface IntakeMessage {
  readonly messageId: string;
  readonly body: string;
}

/** Starts pipeline runs and counts those in flight. */
export interface RunStarter {
  /** Runs in flight, counted up to `atMost` (a larger number is reported as `atMost`). */
  running(atMost: number): Promise<number>;
  /**
   * Starts the run `name` for `input`; `exists` when a run of that name ended before (a redelivered
   * message). While that run is still going, Step Functions answers as for a new start, without a second run.
   */
  start(name: string, input: string): Promise<'started' | 'exists'>;
}

export interface IntakeOutcome {
  readonly started: number;
  /** Uploads already started by an earlier delivery of the same message. */
  readonly alreadyStarted: number;
  /** Message ids left in the queue (the cap is reached): SQS hands them out again after the visibility time-out. */
  readonly deferred: readonly string[];
  /** Messages that could not be started (a malformed message, Step Functions refusing): left in the queue too, with the reason for the logs. */
  readonly failed: ReadonlyArray<{ readonly messageId: string; readonly error: string }>;
}

/**
 * @example const { deferred } = await startRuns(records, starter, INTAKE.maxRunningExecutions);
 */
export async function startRuns(messages: readonly IntakeMessage[], starter: RunStarter, maxRunning: number): Promise<IntakeOutcome> {
  const free = Math.max(0, maxRunning - await starter.running(maxRunning));
  let started = 0;
  let alreadyStarted = 0;
  const deferred: string[] = [];
  const failed: Array<{ messageId: string; error: string }> = [];
  for (const [i, message] of messages.entries()) {
    if (i >= free) {
      deferred.push(message.messageId);
      continue;
    }
    try {
      const { name, input } = runFor(message);
      if ((await starter.start(name, input)) === 'started') started++;
      else alreadyStarted++;
    } catch (e) {
      failed.push({ messageId: message.messageId, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  return { started, alreadyStarted, deferred, failed };
}

const NAME_RE = /^[A-Za-z0-9-]{1,80}$/;

/**
 * The run for one message: named after the upload's event id, so that a message delivered twice
 * starts one run (Step Functions refuses a second execution of the same name), with the state
 * machine's input `{ object }`.
 */
export function runFor(message: IntakeMessage): { name: string; input: string } {
  let body: { eventId?: unknown; object?: Partial<TapeObject> };
  try {
    body = JSON.parse(message.body) as typeof body;
  } catch {
    throw new Error(`intake message ${message.messageId} is not JSON: the rule's input transformer and the starter disagree`);
  }
  const name = typeof body.eventId === 'string' && NAME_RE.test(body.eventId) ? body.eventId : message.messageId;
  if (!body.object || typeof body.object.key !== 'string' || typeof body.object.bucket !== 'string') {
    throw new Error(`intake message ${message.messageId} has no object bucket and key: the rule's input transformer and the starter disagree`);
  }
  return { name, input: JSON.stringify({ object: body.object }) };
}
