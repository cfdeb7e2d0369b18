/**
 * The re-score workflow in the stack: a Distributed Map over the job's tape list in S3 (item
 * reader, MaxConcurrency, ToleratedFailurePercentage, ResultWriter to S3), whose child
 * executions claim, reuse the pipeline's evaluate and score functions (published versions) and
 * publish, a user error or failure of each going to the re-score failure handler; started by RescoreRequested on the pipeline bus; least
 * privilege for its functions. cdk-nag runs over the whole stack in pipeline-stack.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RESCORE_EVENT } from '../../functions/aws/rescore-requests.ts';
import { PIPELINE_STEPS, RESCORE_MAP, RESCORE_STEPS, THROTTLING_ERRORS, THROTTLING_RETRY } from '../../functions/pipeline/steps.ts';
import { RESCORE_RESULTS_PREFIX } from '../../cdk/rescore-state-machine.ts';
import { synthPipeline } from './support/synth.ts';

type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;
let built: ReturnType<typeof synthPipeline>;

beforeAll(() => {
  built = synthPipeline();
  resources = built.template.toJSON().Resources as Record<string, Resource>;
});

const json = (v: unknown) => JSON.stringify(v);
const only = (prefix: string, type: string): [string, Resource] => {
  const found = Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return found[0]!;
};
/** The definition with every CloudFormation token replaced by its logical id (or "ref"). */
function definition(): { StartAt: string; States: Record<string, any> } {
  const parts = only('Rescore', 'AWS::StepFunctions::StateMachine')[1].Properties.DefinitionString['Fn::Join'][1] as unknown[];
  const text = parts.map((p) => {
    if (typeof p === 'string') return p;
    const id = (p as { 'Fn::GetAtt'?: string[]; Ref?: string })['Fn::GetAtt']?.[0] ?? (p as { Ref?: string }).Ref;
    return id ? `@${id}@` : '@ref@';
  }).join('');
  return JSON.parse(text);
}
const fnId = (name: string) => only(`${name.charAt(0).toUpperCase()}${name.slice(1)}Function`, 'AWS::Lambda::Function')[0];
/** The published version of a step's function: what the workflow's tasks call (never $LATEST). */
const versionId = (name: string) => {
  const fn = fnId(name);
  const found = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Version' && r.Properties.FunctionName?.Ref === fn);
  expect(found, `version of ${name}`).toHaveLength(1);
  return found[0]![0];
};

describe('re-score workflow', () => {
  it('lists the tapes, runs a Distributed Map over them, then finishes the job (also when the Map Run fails)', () => {
    const d = definition();
    expect(d.StartAt).toBe('ListTapes');
    expect(d.States.ListTapes.Next).toBe('RescoreTapes');
    const map = d.States.RescoreTapes;
    expect(map.Type).toBe('Map');
    expect(map.Next).toBe('FinishJob');
    expect(map.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: 'FinishJob' }]);
    expect(d.States.FinishJob.End).toBe(true);
    expect(json(d.States.ListTapes)).toContain(versionId('rescoreList'));
    expect(json(d.States.FinishJob)).toContain(versionId('rescoreFinish'));
  });

  it('reads the job\'s tape list from S3 and bounds the run: MaxConcurrency, ToleratedFailurePercentage, ResultWriter', () => {
    const map = definition().States.RescoreTapes;
    const bucket = only('TapesBucket', 'AWS::S3::Bucket')[0];
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemReader.Resource).toMatch(/:states:::s3:getObject$/);
    expect(map.ItemReader.ReaderConfig).toEqual({ InputType: 'JSON' });
    expect(map.ItemReader.Parameters).toEqual({ Bucket: `@${bucket}@`, 'Key.$': '$.itemsKey' });
    expect(map.MaxConcurrency).toBe(RESCORE_MAP.maxConcurrency);
    expect(map.ToleratedFailurePercentage).toBe(RESCORE_MAP.toleratedFailurePercentage);
    expect(map.ResultWriter.Resource).toMatch(/:states:::s3:putObject$/);
    expect(map.ResultWriter.Parameters).toEqual({ Bucket: `@${bucket}@`, Prefix: RESCORE_RESULTS_PREFIX });
    expect(map.ItemSelector).toEqual({
      'tapeId.$': '$$.Map.Item.Value.tapeId', 'jobId.$': '$.jobId',
      'runId.$': "States.Format('{}-{}', $$.Execution.Name, $$.Map.Item.Index)",
    });
  });

  it('each tape: claim, the pipeline\'s own evaluate and score functions, publish; a user error or any step\'s failure goes to the failure handler', () => {
    const item = definition().States.RescoreTapes.ItemProcessor;
    expect(item.StartAt).toBe('Claim');
    const s = item.States;
    expect(s.Claim.Next).toBe('Claimed');
    expect(s.Claimed.Choices[0]).toEqual({ Variable: '$.error', IsPresent: true, Next: 'ReleaseClaim' });
    expect(s.Claimed.Choices[1]).toMatchObject({ Variable: '$.stop', IsPresent: true, Next: 'Skipped' });
    expect(s.Claimed.Default).toBe('RescoreEvaluate');
    // As in the pipeline: a user error is the step's result (`error` set), routed by a Choice, not a Lambda error.
    const steps = ['RescoreEvaluate', 'RescoreScore', 'PublishRevision'];
    const after = ['RescoreScore', 'PublishRevision', 'RescoreAnalytics'];
    steps.forEach((name, i) => {
      const done = s[s[name].Next];
      expect(done.Type, name).toBe('Choice');
      expect(done.Choices, name).toEqual([{ Variable: '$.error', IsPresent: true, Next: 'ReleaseClaim' }]);
      expect(done.Default, name).toBe(after[i]);
      expect(s[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ReleaseClaim' }]);
    });
    expect(json(s.RescoreEvaluate)).toContain(versionId('evaluate'));
    expect(json(s.RescoreScore)).toContain(versionId('score'));
    expect(json(s.PublishRevision)).toContain(versionId('rescorePublish'));
    expect(json(s.Claim)).toContain(versionId('rescoreClaim'));
    // The new revision is current: the market dataset follows; its failure fails the child, never releases the claim.
    expect(json(s.RescoreAnalytics)).toContain(versionId('analytics'));
    expect(s.RescoreAnalytics.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RescoreMarketDatasetNotWritten' }]);
    expect(s[s.RescoreAnalytics.Next].Default).toBe('Rescored');
    expect(s.RescoreMarketDatasetNotWritten.Type).toBe('Fail');
    // Every task: user errors never retried, throttling apart (THROTTLING_RETRY), then the step's own policy.
    for (const name of ['Claim', ...steps, 'ReleaseClaim']) {
      expect(s[name].Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals[0]), name).toEqual(['DmbsUserError', THROTTLING_ERRORS[0], 'States.ALL']);
      expect(s[name].Retry[1], name).toMatchObject({ MaxAttempts: THROTTLING_RETRY.maxAttempts, MaxDelaySeconds: THROTTLING_RETRY.maxDelaySeconds, JitterStrategy: 'FULL' });
    }
    const evaluate = PIPELINE_STEPS.find((p) => p.name === 'evaluate')!;
    expect(s.RescoreEvaluate.Retry[2]).toMatchObject({ MaxAttempts: evaluate.retry.maxAttempts, IntervalSeconds: evaluate.retry.intervalSeconds });
    expect(json(s.ReleaseClaim)).toContain(versionId('rescoreFail'));
    // A failed tape fails its child execution, so the Map's tolerated failure share counts it.
    expect(s.ReleaseClaim.Next).toBe('RescoreFailed');
    expect(s.RescoreFailed.Type).toBe('Fail');
  });

  it('starts on RescoreRequested from the API on the pipeline bus, with a dead-letter queue', () => {
    const [, rule] = only('RescoreRequested', 'AWS::Events::Rule');
    expect(rule.Properties.EventPattern).toEqual({ source: [RESCORE_EVENT.source], 'detail-type': [RESCORE_EVENT.detailType] });
    expect(rule.Properties.EventBusName).toEqual({ Ref: only('EventBus', 'AWS::Events::EventBus')[0] });
    const target = rule.Properties.Targets[0];
    expect(target.Arn).toEqual({ Ref: only('Rescore', 'AWS::StepFunctions::StateMachine')[0] });
    expect(target.DeadLetterConfig).toBeDefined();
    expect(target.InputTransformer.InputTemplate).toMatch(/"jobId":<detail-jobId>,"scope":<detail-scope>/);
  });

  it('is a standard workflow with logging and tracing; its role may decrypt and write with the tapes key', () => {
    const [id, sm] = only('Rescore', 'AWS::StepFunctions::StateMachine');
    expect(sm.Properties.StateMachineType).toBe('STANDARD');
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.Properties.LoggingConfiguration.Level).toBe('ALL');
    const roleId = sm.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const statements = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && json(r.Properties.Roles).includes(roleId))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    const kms = statements.find((s) => json(s.Action).includes('kms:Decrypt'));
    expect(kms?.Resource).toEqual({ 'Fn::GetAtt': [only('DataKey', 'AWS::KMS::Key')[0], 'Arn'] });
    expect(json(statements)).toContain('states:StartExecution');
    expect(id).toMatch(/^Rescore/);
  });

  it('its functions: the list step writes only under rescores/ and may query; publish alone puts events; none has an action wildcard', () => {
    const statementsOf = (name: string) => {
      const roleId = resources[fnId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
      return Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy' && json(r.Properties.Roles) === json([{ Ref: roleId }]))
        .flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>);
    };
    const actions = (name: string) => statementsOf(name).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    for (const def of Object.values(RESCORE_STEPS)) {
      for (const a of actions(def.name)) expect(a, def.name).not.toMatch(/\*/);
      expect(actions(def.name).includes('events:PutEvents'), def.name).toBe(def.name === 'rescorePublish');
      expect(resources[fnId(def.name)]!.Properties.Timeout).toBe(def.timeoutSeconds);
    }
    const list = statementsOf('rescoreList');
    expect(json(list.find((s) => json(s.Action).includes('s3:PutObject'))?.Resource)).toContain('/rescores/*');
    expect(actions('rescoreList')).toContain('dynamodb:Query');
    expect(actions('rescoreClaim').filter((a) => a.startsWith('s3:'))).toEqual(['s3:GetObject']);
  });
});
