/**
 * The stack's hardening, asserted on the synthesized template: an issuer cannot become another
 * issuer, the KMS key's service grants are bound to this account, steps call published versions,
 * throttling is retried apart and the intake bounds the pipeline's concurrency, and the alarms
 * page for internal failures only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { API_THROTTLES } from '../../cdk/pipeline-stack.ts';
import { METRICS_NAMESPACE, SERVICE_NAME, TAPE_FAILURE_METRICS } from '../../functions/handlers/metric-names.ts';
import {
  FAILURE_STEP, INTAKE, OUTBOX_SWEEP, PIPELINE_STEPS, RESCORE_STEPS, retryDelaysSeconds, THROTTLING_ERRORS, THROTTLING_RETRY, worstCaseSeconds,
} from '../../functions/pipeline/steps.ts';
import { synthPipeline } from './support/synth.ts';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: Record<string, unknown>; Condition?: Record<string, Record<string, unknown>> };

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  template = synthPipeline().template;
  resources = template.toJSON().Resources as Record<string, Resource>;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string, prefix = '') => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return found[0]!;
};

describe('an issuer cannot become another issuer', () => {
  it('custom:issuerId is immutable: set by an administrator when the user is created, never changed', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    const issuerId = (pool.Properties.Schema as Array<Record<string, unknown>>).find((a) => a.Name === 'issuerId');
    expect(issuerId).toMatchObject({ AttributeDataType: 'String', Mutable: false });
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
  });

  it('the app client lets users write standard attributes only, and read their issuer id', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const write = client.Properties.WriteAttributes as string[];
    expect(write.length).toBeGreaterThan(0);
    for (const a of write) expect(a, 'no custom attribute is writable by users').not.toMatch(/^custom:/);
    expect(write).not.toContain('custom:issuerId');
    expect(client.Properties.ReadAttributes).toContain('custom:issuerId');
  });

  it('groups (the roles) exist only as administrator-managed pool groups', () => {
    expect(ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName).sort()).toEqual(['issuer', 'onboarding', 'reviewer']);
  });
});

describe('KMS key policy', () => {
  it('every grant to an AWS service is bound to this account by aws:SourceAccount and aws:SourceArn', () => {
    const [, key] = only('AWS::KMS::Key');
    const services = (key.Properties.KeyPolicy.Statement as Statement[]).filter((s) => s.Principal && 'Service' in s.Principal);
    expect(services.length).toBeGreaterThan(0);
    for (const s of services) {
      expect(s.Condition?.StringEquals?.['aws:SourceAccount'], JSON.stringify(s.Principal)).toEqual({ Ref: 'AWS::AccountId' });
      const arn = JSON.stringify(s.Condition?.ArnLike?.['aws:SourceArn'] ?? s.Condition?.ArnEquals?.['aws:SourceArn']);
      expect(arn, JSON.stringify(s.Principal)).toContain('{"Ref":"AWS::AccountId"}');
    }
    const cloudwatch = services.find((s) => s.Principal!.Service === 'cloudwatch.amazonaws.com')!;
    expect(JSON.stringify(cloudwatch.Condition!.ArnLike!['aws:SourceArn'])).toContain(':alarm:*');
  });
});

/** The state machine's definition, references replaced by their JSON (`{"Ref":…}` / `{"Fn::GetAtt":…}`). */
function definition(): { StartAt: string; States: Record<string, any>; TimeoutSeconds?: number } {
  const [, sm] = only('AWS::StepFunctions::StateMachine', 'Pipeline');
  const parts = sm.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  const refs: unknown[] = [];
  const text = parts.map((p) => (typeof p === 'string' ? p : `@@${refs.push(p) - 1}@@`)).join('');
  return JSON.parse(text, (_k, v) => (typeof v === 'string' && /^@@\d+@@$/.test(v) ? refs[Number(v.slice(2, -2))] : v));
}
const tasks = () => Object.entries(definition().States).filter(([, s]) => s.Type === 'Task');

describe('steps call published versions', () => {
  it('every task invokes an AWS::Lambda::Version of its step\'s function, never $LATEST or an alias', () => {
    expect(tasks().map(([name]) => name).sort()).toEqual([...PIPELINE_STEPS.map((s) => pascal(s.name)), 'MarketDataset', 'MarkFailed'].sort());
    for (const [name, s] of tasks()) {
      const ref = s.Resource === 'arn:aws:states:::lambda:invoke' ? s.Parameters.FunctionName : s.Resource;
      const id = (ref as { Ref?: string }).Ref;
      expect(id, name).toBeDefined();
      const version = resources[id!]!;
      expect(version.Type, name).toBe('AWS::Lambda::Version');
      const fn = version.Properties.FunctionName.Ref as string;
      expect(fn, name).toMatch(new RegExp(`^${name === 'MarkFailed' ? 'Fail' : name === 'MarketDataset' ? 'Analytics' : name}Function`));
    }
    // Versions a deploy replaces stay (running executions still call them).
    const raw = template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>;
    for (const [id] of ofType('AWS::Lambda::Version')) expect(raw[id]!.DeletionPolicy, id).toBe('Retain');
  });

  it('the state machines may invoke those versions only (the pipeline\'s, and the re-score\'s own steps with evaluate and score)', () => {
    const invoke = ofType('AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'));
    expect(invoke).toHaveLength(2);
    const targets = invoke.map((st) => (st.Resource as Array<{ Ref: string }>).map((r) => resources[r.Ref]!.Type));
    // the pipeline's steps, analytics and fail; the re-score's own with evaluate, score and analytics
    expect(targets.map((t) => t.length).sort()).toEqual([PIPELINE_STEPS.length + 2, Object.keys(RESCORE_STEPS).length + 3].sort());
    for (const t of targets) expect(new Set(t)).toEqual(new Set(['AWS::Lambda::Version']));
  });
});

describe('throttling and intake', () => {
  it('every task retries throttling apart from other errors: long, capped, jittered, before the generic retrier', () => {
    for (const [name, s] of tasks()) {
      const retry = s.Retry as Array<Record<string, unknown>>;
      expect(retry.map((r) => (r.ErrorEquals as string[])[0]), name).toEqual(['DmbsUserError', THROTTLING_ERRORS[0], 'States.ALL']);
      expect(retry[1], name).toEqual({
        ErrorEquals: [...THROTTLING_ERRORS], IntervalSeconds: THROTTLING_RETRY.intervalSeconds, MaxAttempts: THROTTLING_RETRY.maxAttempts,
        BackoffRate: THROTTLING_RETRY.backoffRate, MaxDelaySeconds: THROTTLING_RETRY.maxDelaySeconds, JitterStrategy: 'FULL',
      });
      for (const e of ['Lambda.TooManyRequestsException', 'Lambda.ServiceException', 'Lambda.SdkClientException']) expect(retry[1]!.ErrorEquals, name).toContain(e);
    }
    expect(THROTTLING_RETRY.maxAttempts).toBeGreaterThanOrEqual(8);
  });

  it('the workflow outlasts every step\'s time-outs and retries', () => {
    const timeout = definition().TimeoutSeconds!;
    const worst = [...PIPELINE_STEPS, FAILURE_STEP].reduce((sum, step) => sum + worstCaseSeconds(step), 0);
    expect(timeout).toBeGreaterThanOrEqual(worst);
    expect(retryDelaysSeconds(THROTTLING_RETRY).at(-1)).toBe(THROTTLING_RETRY.maxDelaySeconds);
  });

  it('uploads go EventBridge → SQS → a starter with bounded concurrency; nothing else starts the pipeline', () => {
    const [queueId, queue] = only('AWS::SQS::Queue', 'IntakeQueue');
    const [dlqId] = only('AWS::SQS::Queue', 'IntakeDeadLetterQueue');
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true, VisibilityTimeout: INTAKE.visibilityTimeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: INTAKE.maxReceiveCount },
    });
    const [, rule] = only('AWS::Events::Rule', 'TapeUploaded');
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(rule.Properties.Targets[0].InputTransformer.InputPathsMap).toMatchObject({ id: '$.id', 'detail-object-key': '$.detail.object.key' });

    const [, mapping] = only('AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, BatchSize: INTAKE.batchSize,
      ScalingConfig: { MaximumConcurrency: INTAKE.maxConcurrency }, FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const [starterId, starter] = only('AWS::Lambda::Function', 'StartFunction');
    expect(mapping.Properties.FunctionName).toEqual({ Ref: starterId });
    expect(starter.Properties.Environment.Variables.DMBS_MAX_RUNNING_EXECUTIONS).toBe(String(INTAKE.maxRunningExecutions));
    expect(starter.Properties.Environment.Variables.DMBS_STATE_MACHINE).toEqual({ Ref: only('AWS::StepFunctions::StateMachine', 'Pipeline')[0] });

    // Only the starter may start pipeline executions, and it may only start and count them (the
    // re-score workflow, started by its own rule, is asserted in rescore-workflow.test.ts).
    const pipelineId = only('AWS::StepFunctions::StateMachine', 'Pipeline')[0];
    const states = ofType('AWS::IAM::Policy').flatMap(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({ roles: p.Properties.Roles, s })))
      .filter(({ s }) => [s.Action].flat().some((a) => a.startsWith('states:')) && JSON.stringify(s.Resource).includes(pipelineId));
    expect(states.flatMap(({ s }) => [s.Action].flat()).sort()).toEqual(['states:ListExecutions', 'states:StartExecution']);
    for (const { roles } of states) expect(roles).toEqual([{ Ref: starter.Properties.Role['Fn::GetAtt'][0] }]);
    // ... and touches no data: no S3, DynamoDB, KMS or event bus.
    const starterActions = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: starter.Properties.Role['Fn::GetAtt'][0] }]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).flatMap((st) => [st.Action].flat()));
    expect(new Set(starterActions.map((a) => a.split(':')[0]))).toEqual(new Set(['logs', 'xray', 'sqs', 'states']));
  });
});

describe('no lost events', () => {
  it('a schedule runs the outbox sweep, which may read and update tapes, query the OUTBOX index and put events, nothing else', () => {
    const [sweeperId, sweeper] = only('AWS::Lambda::Function', 'SweepEventsFunction');
    const [, rule] = only('AWS::Events::Rule', 'SweepEventOutbox');
    expect(rule.Properties.ScheduleExpression).toBe(`rate(${OUTBOX_SWEEP.everyMinutes} minutes)`);
    expect(rule.Properties.Targets).toHaveLength(1);
    expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [sweeperId, 'Arn'] });
    expect(sweeper.Properties.Environment.Variables.DMBS_EVENT_BUS).toBeDefined();
    const role = { Ref: sweeper.Properties.Role['Fn::GetAtt'][0] };
    const actions = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([role]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).flatMap((st) => [st.Action].flat()));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'events:PutEvents']));
    const allowed = /^(logs|xray|kms):|^dynamodb:(GetItem|PutItem|UpdateItem|Query)$|^events:PutEvents$/;
    expect(actions.filter((a) => !allowed.test(a))).toEqual([]);
  });
});

describe('alarms a team can live with', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([id, a]) => ({ id, ...a.Properties }) as Record<string, any> & { id: string });
  const byId = (prefix: string) => {
    const found = alarms().filter((a) => a.id.startsWith(prefix));
    expect(found, prefix).toHaveLength(1);
    return found[0]!;
  };

  it('internal failures page through the pipeline\'s own metric; bad tapes and Lambda errors page nobody', () => {
    expect(byId('TapesFailedInternal')).toMatchObject({
      Namespace: METRICS_NAMESPACE, MetricName: TAPE_FAILURE_METRICS.internal, Dimensions: [{ Name: 'service', Value: SERVICE_NAME }], Threshold: 1,
    });
    const metricNames = alarms().map((a) => a.MetricName);
    expect(metricNames).not.toContain(TAPE_FAILURE_METRICS.userError);
    expect(metricNames).not.toContain('Errors');
    // a user error is a step's result routed by a Choice, so it ends in TapeRejected (a success), not a failed execution
    const d = definition();
    for (const step of PIPELINE_STEPS) {
      expect(d.States[pascal(step.name)].Next, step.name).toBe(`${pascal(step.name)}Done`);
      expect(d.States[`${pascal(step.name)}Done`].Choices[0], step.name).toEqual({ Variable: '$.error', IsPresent: true, Next: 'MarkFailed' });
    }
    expect(d.States.InputAtFault.Choices[0]).toMatchObject({ Variable: '$.failure.userError', BooleanEquals: true, Next: 'TapeRejected' });
    expect(d.States.TapeRejected.Type).toBe('Succeed');
  });

  it('Step Functions failed and throttled executions, Lambda and DynamoDB throttles (sustained), API 5xx', () => {
    expect(byId('PipelineFailed')).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' });
    expect(byId('PipelineThrottled')).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionThrottled', EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    const lambda = byId('LambdaThrottles');
    expect(lambda).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    const throttled = (lambda.Metrics as Array<any>).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    expect(throttled.every((m) => m.Namespace === 'AWS/Lambda' && m.MetricName === 'Throttles')).toBe(true);
    // Every function is in one throttle alarm: the re-score's own have theirs (one alarm's metric math reads at most 10 metrics).
    const rescore = byId('RescoreLambdaThrottles');
    expect(rescore).toMatchObject({ EvaluationPeriods: 3, DatapointsToAlarm: 3 });
    const rescoreThrottled = (rescore.Metrics as Array<any>).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    for (const metrics of [throttled, rescoreThrottled]) expect(metrics.length).toBeLessThanOrEqual(10);
    const functionsOf = (metrics: Array<any>) => metrics.map((m) => m.Dimensions.find((d: any) => d.Name === 'FunctionName').Value.Ref as string);
    expect([...functionsOf(throttled), ...functionsOf(rescoreThrottled)].sort()).toEqual(ofType('AWS::Lambda::Function').map(([id]) => id).sort());
    const dynamo = byId('DynamoDbThrottles');
    expect((dynamo.Metrics as Array<any>).filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    expect(byId('Api5xx')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5xx' });
    expect(byId('IntakeDeadLetters')).toMatchObject({ Namespace: 'AWS/SQS' });
  });

  it('API throttles per route: /health has its own budget, apart from the data routes', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    const routeKeys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey as string);
    expect(Object.keys(settings).sort()).toEqual([...routeKeys].sort());
    expect(settings['GET /health']).toEqual({ ThrottlingRateLimit: API_THROTTLES.health.rateLimit, ThrottlingBurstLimit: API_THROTTLES.health.burstLimit });
    expect(settings['ANY /{proxy+}']).toEqual({ ThrottlingRateLimit: API_THROTTLES.data.rateLimit, ThrottlingBurstLimit: API_THROTTLES.data.burstLimit });
    expect(API_THROTTLES.health.rateLimit).toBeLessThan(API_THROTTLES.data.rateLimit);
    // the stage refers to routes by key: it is created after them
    for (const [id] of ofType('AWS::ApiGatewayV2::Route')) expect(stage.DependsOn, id).toContain(id);
  });
});

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
