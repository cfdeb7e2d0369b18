/**
 * The re-score workflow (functions/pipeline/steps.ts RESCORE_STEPS): the list step stores the
 * job's tapes as a JSON array in S3, a Distributed Map runs one child execution per tape
 * (claim → the pipeline's own evaluate and score functions → publish → the pipeline's analytics
 * function; the re-score failure
 * handler for a user error, after a Choice, and as catch) with MaxConcurrency and
 * ToleratedFailurePercentage, writes its results to S3 (ResultWriter), and the finish step marks
 * the job DONE. Locally the runner walks the same
 * item steps (functions/pipeline/run-rescore.ts).
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  Chain, Choice, Condition, DistributedMap, Fail, JsonPath, ProcessorMode, ProcessorType, ResultWriterV2, S3JsonItemReader, StateMachineType, Succeed, type IChainable,
} from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { RESCORES_PREFIX } from '../functions/pipeline/state.ts';
import { PIPELINE_STEPS, RESCORE_MAP, RESCORE_STEPS, type RescoreHandlerName } from '../functions/pipeline/steps.ts';
import { analyticsTask, task } from './state-machine.ts';

/** Where the Distributed Map writes its results (each Map Run in a folder of its own below). */
export const RESCORE_RESULTS_PREFIX = `${RESCORES_PREFIX}map-runs/`;

export function buildRescoreDefinition(
  scope: Construct,
  functions: Readonly<Record<RescoreHandlerName | 'evaluate' | 'score' | 'analytics', IFunction>>,
  bucket: IBucket,
): IChainable {
  const def = (name: RescoreHandlerName) => RESCORE_STEPS[name];
  const step = (name: 'evaluate' | 'score') => PIPELINE_STEPS.find((s) => s.name === name)!;
  const list = task(scope, 'ListTapes', functions.rescoreList, def('rescoreList').retry, def('rescoreList').timeoutSeconds);
  const finish = task(scope, 'FinishJob', functions.rescoreFinish, def('rescoreFinish').retry, def('rescoreFinish').timeoutSeconds);

  // ---- one tape (a child execution) ----
  const claim = task(scope, 'Claim', functions.rescoreClaim, def('rescoreClaim').retry, def('rescoreClaim').timeoutSeconds);
  const evaluate = task(scope, 'RescoreEvaluate', functions.evaluate, step('evaluate').retry, step('evaluate').timeoutSeconds);
  const score = task(scope, 'RescoreScore', functions.score, step('score').retry, step('score').timeoutSeconds);
  const publish = task(scope, 'PublishRevision', functions.rescorePublish, def('rescorePublish').retry, def('rescorePublish').timeoutSeconds);
  const release = task(scope, 'ReleaseClaim', functions.rescoreFail, def('rescoreFail').retry, def('rescoreFail').timeoutSeconds);
  // A failed tape fails its child execution, so that ToleratedFailurePercentage counts it.
  release.next(new Fail(scope, 'RescoreFailed', { error: 'RescoreFailed', causePath: '$.failure.message' }));
  for (const t of [evaluate, score, publish]) t.addCatch(release, { errors: ['States.ALL'], resultPath: '$.error' });
  // As in the pipeline, a user error (a bad criteria file) is the step's result carrying `error`,
  // not a Lambda error: a Choice after each step sends it to the failure handler.
  // The new revision is current: the market dataset follows; its failure fails the child execution, not the revision.
  let next: IChainable = analyticsTask(scope, 'RescoreAnalytics', functions.analytics, 'RescoreMarketDatasetNotWritten', new Succeed(scope, 'Rescored'));
  for (const [name, t] of [['Publish', publish], ['Score', score], ['Evaluate', evaluate]] as const) {
    t.next(new Choice(scope, `Rescore${name}Done`).when(Condition.isPresent('$.error'), release).otherwise(next));
    next = t;
  }
  const item = Chain.start(claim)
    .next(new Choice(scope, 'Claimed')
      .when(Condition.isPresent('$.error'), release)
      .when(Condition.isPresent('$.stop'), new Succeed(scope, 'Skipped', { comment: 'Not SCORED, or another re-score holds the tape: counted as skipped.' }))
      .otherwise(evaluate));

  const map = new DistributedMap(scope, 'RescoreTapes', {
    comment: 'One child execution per tape of the job',
    itemReader: new S3JsonItemReader({ bucket, key: JsonPath.stringAt('$.itemsKey') }),
    itemSelector: {
      'tapeId.$': '$$.Map.Item.Value.tapeId',
      'jobId.$': '$.jobId',
      // One run id per tape and job: the owner of the tape's re-score claim.
      'runId.$': "States.Format('{}-{}', $$.Execution.Name, $$.Map.Item.Index)",
    },
    maxConcurrency: RESCORE_MAP.maxConcurrency,
    toleratedFailurePercentage: RESCORE_MAP.toleratedFailurePercentage,
    // Rendered with cdk.json's @aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2 (the V1 writer is deprecated).
    resultWriterV2: new ResultWriterV2({ bucket, prefix: RESCORE_RESULTS_PREFIX }),
    mapExecutionType: StateMachineType.STANDARD,
    resultPath: '$.mapRun',
  });
  map.itemProcessor(item, { mode: ProcessorMode.DISTRIBUTED, executionType: ProcessorType.STANDARD });
  // Too many failed tapes fail the Map Run: the job still ends (its counts say what happened).
  map.addCatch(finish, { errors: ['States.ALL'], resultPath: '$.mapError' });
  map.next(finish);
  return Chain.start(list).next(map);
}

/** The whole job may run long: many tapes, each up to the pipeline's step time-outs. */
export const RESCORE_TIMEOUT = Duration.hours(24);
