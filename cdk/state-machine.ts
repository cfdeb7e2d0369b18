/**
 * Builds the Step Functions definition from the pipeline's step list (functions/pipeline/steps.ts):
 * one Lambda task per step with its retry policy, an early successful end for duplicates, and
 * one catch for all of them that runs the failure handler. The local runner walks the same list.
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Chain, Choice, Condition, Fail, JitterType, Pass, Succeed, Timeout, type IChainable, type INextable, type State } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { FAILURE_STEP, NON_RETRYABLE_ERRORS, PIPELINE_STEPS, type HandlerName, type RetryPolicy } from '../functions/pipeline/steps.ts';

/** Builds the definition; `functions` holds one function per step and the failure handler. */
export function buildPipelineDefinition(scope: Construct, functions: Readonly<Record<HandlerName, IFunction>>): IChainable {
  // Step Functions gives the execution its name; it becomes the run id that owns the tape's claim.
  const receive = new Pass(scope, 'Receive', {
    comment: 'Input: the uploaded object (EventBridge input transformer). Adds the run id.',
    parameters: { 'object.$': '$.object', 'runId.$': '$$.Execution.Name' },
  });

  const markFailed = task(scope, 'MarkFailed', functions.fail, FAILURE_STEP.retry, FAILURE_STEP.timeoutSeconds);
  markFailed.next(new Choice(scope, 'InputAtFault')
    .when(Condition.booleanEquals('$.failure.userError', true), new Succeed(scope, 'TapeRejected', { comment: 'The tape is FAILED with a reason the uploader can act on.' }))
    .otherwise(new Fail(scope, 'TapeFailed', { error: 'TapeFailed', causePath: '$.failure.message' })));

  const tasks = PIPELINE_STEPS.map((step) => {
    const t = task(scope, pascal(step.name), functions[step.name], step.retry, step.timeoutSeconds);
    t.addCatch(markFailed, { errors: ['States.ALL'], resultPath: '$.error' });
    return { step, task: t };
  });

  const scored = new Succeed(scope, 'TapeScored');
  let next: State = scored;
  for (let i = tasks.length - 1; i >= 0; i--) {
    const { step, task: t } = tasks[i]!;
    if (step.mayStop) {
      const stopped = new Succeed(scope, `StoppedAfter${pascal(step.name)}`, { comment: 'Duplicate notification or duplicate content: nothing to do.' });
      t.next(new Choice(scope, `${pascal(step.name)}Stopped`).when(Condition.isPresent('$.stop'), stopped).otherwise(next));
    } else {
      (t as INextable).next(next);
    }
    next = t;
  }
  return Chain.start(receive).next(next);
}

/** One Lambda task with the step's retry policy (never on user errors, time-outs, out-of-memory). */
export function task(scope: Construct, id: string, fn: IFunction, retry: RetryPolicy, timeoutSeconds: number): LambdaInvoke {
  const t = new LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    // A little more than the function's own time-out, so the function's error wins.
    taskTimeout: Timeout.duration(Duration.seconds(timeoutSeconds + 30)),
  });
  // Never retried: the input is at fault, or it would cost as much again for the same outcome.
  t.addRetry({ errors: [...NON_RETRYABLE_ERRORS], maxAttempts: 0 });
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
