/**
 * Builds the Step Functions definition from the pipeline's step list (functions/pipeline/steps.ts):
 * one Lambda task per step, calling the function's published version (never $LATEST), with its
 * retry policies; after each step a Choice that sends a user error (a normal result carrying
 * `error`, see pipeline/step-error.ts) to the failure handler and ends duplicates early; and one
 * catch for all of them that runs the failure handler. After publish (the tape SCORED), the
 * analytics step writes the market dataset: its errors end the run failed (alarmed) without the
 * failure handler, so the tape stays SCORED. The local runner walks the same list.
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Chain, Choice, Condition, Fail, JitterType, Pass, Succeed, Timeout, type IChainable, type State } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import {
  ANALYTICS_STEP, FAILURE_STEP, NON_RETRYABLE_ERRORS, PIPELINE_STEPS, TASK_TIMEOUT_MARGIN_SECONDS, THROTTLING_ERRORS, THROTTLING_RETRY,
  type HandlerName, type RetryPolicy,
} from '../functions/pipeline/steps.ts';

/**
 * Builds the definition; `functions` holds one function per step and the failure handler: pass
 * their published versions (`fn.currentVersion`), so a run started before a deploy finishes on
 * the code it started with.
 */
export function buildPipelineDefinition(scope: Construct, functions: Readonly<Record<HandlerName, IFunction>>): IChainable {
  // Step Functions gives the execution its name; it becomes the run id that owns the tape's claim.
  const receive = new Pass(scope, 'Receive', {
    comment: 'Input: the uploaded object (from the intake starter). Adds the run id.',
    parameters: { 'object.$': '$.object', 'runId.$': '$$.Execution.Name' },
  });

  const markFailed = task(scope, 'MarkFailed', functions.fail, FAILURE_STEP.retry, FAILURE_STEP.timeoutSeconds);
  markFailed.next(new Choice(scope, 'InputAtFault')
    .when(Condition.booleanEquals('$.failure.userError', true), new Succeed(scope, 'TapeRejected', { comment: 'The tape is FAILED with a reason the uploader can act on.' }))
    .otherwise(new Fail(scope, 'TapeFailed', { error: 'TapeFailed', causePath: '$.failure.message' })));

  const scored = new Succeed(scope, 'TapeScored');
  let next: State = analyticsTask(scope, 'MarketDataset', functions.analytics, 'MarketDatasetNotWritten', scored);
  for (const step of [...PIPELINE_STEPS].reverse()) {
    const name = pascal(step.name);
    const t = task(scope, name, functions[step.name], step.retry, step.timeoutSeconds);
    t.addCatch(markFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    // A user error is the step's result, not a Lambda error: nobody is paged for a bad tape.
    const done = new Choice(scope, `${name}Done`).when(Condition.isPresent('$.error'), markFailed);
    if (step.mayStop) {
      done.when(Condition.isPresent('$.stop'), new Succeed(scope, `StoppedAfter${name}`, { comment: 'Duplicate notification or duplicate content: nothing to do.' }));
    }
    t.next(done.otherwise(next));
    next = t;
  }
  return Chain.start(receive).next(next);
}

/**
 * The analytics step as a task, with its retries; an error (thrown, or returned as `error`) ends
 * in a Fail state of its own: the run fails and alarms, nobody touches the SCORED tape.
 */
export function analyticsTask(scope: Construct, id: string, fn: IFunction, failId: string, next: IChainable): LambdaInvoke {
  const t = task(scope, id, fn, ANALYTICS_STEP.retry, ANALYTICS_STEP.timeoutSeconds);
  const notWritten = new Fail(scope, failId, { error: 'MarketDatasetNotWritten', comment: 'The tape is SCORED; its market dataset files are not written (a re-score writes them).' });
  t.addCatch(notWritten, { errors: ['States.ALL'], resultPath: '$.error' });
  t.next(new Choice(scope, `${id}Done`).when(Condition.isPresent('$.error'), notWritten).otherwise(next));
  return t;
}

/** One Lambda task with the step's retry policy (never on user errors, time-outs, out-of-memory). */
export function task(scope: Construct, id: string, fn: IFunction, retry: RetryPolicy, timeoutSeconds: number): LambdaInvoke {
  const t = new LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    // A little more than the function's own time-out, so the function's error wins.
    taskTimeout: Timeout.duration(Duration.seconds(timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS)),
  });
  // Never retried: the input is at fault, or it would cost as much again for the same outcome.
  t.addRetry({ errors: [...NON_RETRYABLE_ERRORS], maxAttempts: 0 });
  // Capacity, not the step's fault: long, capped, jittered waits, counted apart from other errors.
  t.addRetry({
    errors: [...THROTTLING_ERRORS],
    interval: Duration.seconds(THROTTLING_RETRY.intervalSeconds),
    maxAttempts: THROTTLING_RETRY.maxAttempts,
    backoffRate: THROTTLING_RETRY.backoffRate,
    maxDelay: Duration.seconds(THROTTLING_RETRY.maxDelaySeconds),
    jitterStrategy: JitterType.FULL,
  });
  t.addRetry({
    errors: ['States.ALL'],
    interval: Duration.seconds(retry.intervalSeconds),
    maxAttempts: retry.maxAttempts,
    backoffRate: retry.backoffRate,
    jitterStrategy: JitterType.FULL,
  });
  return t;
}

export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
