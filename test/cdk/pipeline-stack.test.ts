/**
 * The CDK stack: resources and their security properties, the state machine built from the
 * step list, least-privilege IAM per function, and cdk-nag (AwsSolutions) with no finding left
 * unacknowledged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { RESULTS_TABLE } from '../../functions/aws/table-definition.ts';
import { pagePaths } from '../../functions/api/static-assets.ts';
import { FAILURE_STEP, PIPELINE_STEPS } from '../../functions/pipeline/steps.ts';
import { synthPipeline } from './support/synth.ts';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: unknown };

let built: ReturnType<typeof synthPipeline>;
let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  built = synthPipeline();
  template = built.template;
  resources = template.toJSON().Resources as Record<string, Resource>;
});

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalId = (prefix: string, type: string) => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return found[0]![0];
};
const json = (v: unknown) => JSON.stringify(v);

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged finding', () => {
    const report = built.nag.validateScope(built.app);
    const open = report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(open).toEqual([]);
  });

  it('every acknowledgement carries a specific reason', () => {
    const acks: Array<{ id: string; reason: string }> = [];
    for (const c of built.app.node.findAll()) {
      for (const m of c.node.metadata) {
        if (m.type === 'aws:cdk:acknowledged-rules') {
          for (const [id, reason] of Object.entries(m.data as Record<string, string>)) acks.push({ id, reason: String(reason) });
        }
      }
    }
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) expect(a.reason.length, a.id).toBeGreaterThan(40);
  });

  it('the app synthesizes with the checks attached (validation would stop synthesis)', () => {
    expect(() => built.app.synth()).not.toThrow();
  });
});

describe('tapes bucket', () => {
  it('is versioned, KMS-encrypted with a bucket key, private, logged, and sends EventBridge notifications', () => {
    const id = logicalId('TapesBucket', 'AWS::S3::Bucket');
    const p = resources[id]!.Properties;
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } },
    });
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logicalId('AccessLogsBucket', 'AWS::S3::Bucket') });
    expect(p.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    const rules = p.LifecycleConfiguration.Rules as Array<Record<string, any>>;
    expect(rules.map((r) => r.Prefix ?? null)).toEqual(['incoming/', 'reports/', null, 'exports/']);
    expect(rules[2]!.AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 2 });
    expect(rules[3]).toMatchObject({ ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } });
    // presigned GETs of exports/ followed from the page: GET only, no other method from other origins
    expect(p.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }),
      expect.objectContaining({ AllowedMethods: ['PUT'], AllowedOrigins: ['*'], AllowedHeaders: ['*'] }),
    ]);
  });

  it('both buckets deny requests without TLS', () => {
    for (const [, policy] of ofType('AWS::S3::BucketPolicy')) {
      const statements = policy.Properties.PolicyDocument.Statement as Statement[];
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
    }
    // tapes, access logs, Athena query results
    expect(ofType('AWS::S3::BucketPolicy')).toHaveLength(3);
  });

  it('the KMS key rotates and is retained', () => {
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });
});

describe('results table', () => {
  it('is the one shared definition: keys and indexes', () => {
    const p = resources[logicalId('ResultsTable', 'AWS::DynamoDB::Table')]!.Properties;
    expect(p.KeySchema).toEqual([
      { AttributeName: RESULTS_TABLE.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: RESULTS_TABLE.sortKey.name, KeyType: 'RANGE' },
    ]);
    expect(p.GlobalSecondaryIndexes.map((i: any) => [i.IndexName, i.KeySchema.map((k: any) => k.AttributeName), i.Projection.ProjectionType]))
      .toEqual(RESULTS_TABLE.globalSecondaryIndexes.map((i) => [i.indexName, [i.partitionKey.name, i.sortKey.name], 'ALL']));
  });

  it('is on-demand, encrypted, with point-in-time recovery and deletion protection', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('workflow', () => {
  const definition = () => {
    const sm = resources[logicalId('Pipeline', 'AWS::StepFunctions::StateMachine')]!.Properties;
    const parts = sm.DefinitionString['Fn::Join'][1] as unknown[];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<${json(p)}>`)).join('').replace(/"<([^>]*)>"/g, '"ref"')) as {
      StartAt: string; States: Record<string, any>;
    };
  };

  it('is built from the step list: every step in order, each caught by the failure handler', () => {
    const d = definition();
    expect(d.StartAt).toBe('Receive');
    const order: string[] = [];
    let at: string | undefined = d.States.Receive.Next;
    while (at) {
      const s = d.States[at];
      if (s.Type === 'Task') order.push(at);
      at = s.Type === 'Choice' ? s.Default : s.Next;
    }
    // After publish (the tape SCORED): the market dataset's write.
    expect(order).toEqual([...PIPELINE_STEPS.map((s) => s.name.charAt(0).toUpperCase() + s.name.slice(1)), 'MarketDataset']);
    for (const step of PIPELINE_STEPS) {
      const s = d.States[step.name.charAt(0).toUpperCase() + step.name.slice(1)];
      expect(s.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' }]);
      expect(s.Retry[0]).toEqual({ ErrorEquals: ['DmbsUserError', 'States.Timeout', 'Sandbox.Timedout', 'Runtime.OutOfMemory'], MaxAttempts: 0 });
      expect(s.Retry.at(-1)).toMatchObject({ ErrorEquals: ['States.ALL'], MaxAttempts: step.retry.maxAttempts, BackoffRate: step.retry.backoffRate, IntervalSeconds: step.retry.intervalSeconds });
      expect(s.TimeoutSeconds).toBe(step.timeoutSeconds + 30);
    }
    // Its failure ends the run failed (alarmed) without the failure handler: the tape stays SCORED.
    expect(d.States.MarketDataset.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarketDatasetNotWritten' }]);
    expect(d.States.MarketDatasetDone.Choices).toEqual([{ Variable: '$.error', IsPresent: true, Next: 'MarketDatasetNotWritten' }]);
    expect(d.States.MarketDatasetDone.Default).toBe('TapeScored');
    expect(d.States.MarketDatasetNotWritten.Type).toBe('Fail');
    expect(d.States.PublishDone.Default).toBe('MarketDataset');
    expect(d.States.ValidateDone.Choices[1]).toMatchObject({ Variable: '$.stop', IsPresent: true, Next: 'StoppedAfterValidate' });
    expect(d.States.MarkFailed.Next).toBe('InputAtFault');
    expect(d.States.InputAtFault.Default).toBe('TapeFailed');
    expect(d.States.TapeFailed.Type).toBe('Fail');
  });

  it('is a standard workflow with full logging and tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
  });

  it('queues Object Created under incoming/ of the tapes bucket for the intake, with a dead-letter queue', () => {
    const rule = resources[logicalId('TapeUploaded', 'AWS::Events::Rule')]!.Properties;
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ Ref: logicalId('TapesBucket', 'AWS::S3::Bucket') }] }, object: { key: [{ prefix: 'incoming/' }] } },
    });
    const target = rule.Targets[0];
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [logicalId('IntakeQueue', 'AWS::SQS::Queue'), 'Arn'] });
    expect(target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [logicalId('IntakeDeadLetterQueue', 'AWS::SQS::Queue'), 'Arn'] });
    expect(target.InputTransformer.InputPathsMap).toMatchObject({ 'detail-object-version-id': '$.detail.object.version-id', 'detail-object-key': '$.detail.object.key' });
  });

  it('the dead-letter queue is encrypted and TLS-only', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });
});

describe('functions', () => {
  const fn = (name: string) => resources[logicalId(`${name.charAt(0).toUpperCase()}${name.slice(1)}Function`, 'AWS::Lambda::Function')]!;

  it('each step runs on Node 22 / arm64 with its listed memory and time-out, traced', () => {
    for (const step of [...PIPELINE_STEPS, FAILURE_STEP]) {
      expect(fn(step.name).Properties).toMatchObject({
        Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: step.memoryMb, Timeout: step.timeoutSeconds,
        TracingConfig: { Mode: 'Active' }, Handler: 'index.handler',
      });
    }
  });

  it('only publish and fail are told the event bus', () => {
    for (const step of [...PIPELINE_STEPS, FAILURE_STEP]) {
      const env = fn(step.name).Properties.Environment.Variables;
      expect(env.DMBS_BUCKET).toEqual({ Ref: logicalId('TapesBucket', 'AWS::S3::Bucket') });
      expect(env.DMBS_TABLE).toEqual({ Ref: logicalId('ResultsTable', 'AWS::DynamoDB::Table') });
      expect('DMBS_EVENT_BUS' in env, step.name).toBe(Boolean(step.access.events));
    }
  });
});

describe('least privilege', () => {
  const bucket = () => logicalId('TapesBucket', 'AWS::S3::Bucket');
  const resultsBucket = () => logicalId('AnalyticsResultsBucket', 'AWS::S3::Bucket');
  /** The API's listing of the market dataset and of its query results (test/cdk/market-analytics.test.ts). */
  const listsAnalytics = (s: Statement) => /"s3:prefix":\[("analytics\/(loans|groups)\/\*",?)+\]|"s3:prefix":\["results\/\*"\]/.test(json(s.Condition));
  const statementsOf = (name: string): Statement[] => {
    const roleId = fnRole(name);
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) => json(p.Properties.Roles) === json([{ Ref: roleId }]))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
  };
  const fnRole = (name: string) => {
    const f = resources[logicalId(`${name.charAt(0).toUpperCase()}${name.slice(1)}Function`, 'AWS::Lambda::Function')]!;
    return f.Properties.Role['Fn::GetAtt'][0] as string;
  };
  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  const all = (name: string) => statementsOf(name).flatMap(actions);

  it('no function has an action wildcard, and only X-Ray is on Resource *', () => {
    for (const name of [...PIPELINE_STEPS.map((s) => s.name), 'fail', 'api']) {
      for (const s of statementsOf(name)) {
        for (const a of actions(s)) expect(a, name).not.toMatch(/\*/);
        if (s.Resource === '*') expect(actions(s).every((a) => a.startsWith('xray:')), name).toBe(true);
      }
    }
  });

  it('S3 access is scoped to prefixes of the tapes bucket (listing: by an s3:prefix condition)', () => {
    for (const name of [...PIPELINE_STEPS.map((s) => s.name), 'fail', 'api']) {
      for (const s of statementsOf(name).filter((x) => actions(x).some((a) => a.startsWith('s3:')))) {
        const resourcesJson = json(s.Resource);
        // The API's Athena query results live in the workgroup's own bucket (test/cdk/market-analytics.test.ts).
        if (name === 'api' && resourcesJson.includes(resultsBucket())) continue;
        expect(resourcesJson, name).toContain(bucket());
        if (actions(s).includes('s3:ListBucket')) expect(json(s.Condition), name).toMatch(/"s3:prefix":\[("(incoming|reports|criteria|watchlist|curve|mapping|stress|analytics\/loans|analytics\/groups)\/\*",?)+\]/);
        else if (json(actions(s)) === '["s3:GetBucketLocation"]') expect(name).toBe('api');
        else expect(resourcesJson, name).toMatch(/"\/(incoming|reports|criteria|watchlist|curve|mapping|stress|exports|analytics\/loans|analytics\/groups)\/\*"/);
      }
    }
  });

  it('only validate reads raw tapes; only validate and fail delete artifacts; only analytics writes analytics/', () => {
    const canRead = (name: string) => statementsOf(name).some((s) => actions(s).includes('s3:GetObject') && json(s.Resource).includes('/incoming/*'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(canRead)).toEqual(['validate']);
    const canDelete = (name: string) => all(name).includes('s3:DeleteObject');
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(canDelete)).toEqual(['validate', 'fail']);
    // fail reads a NO_VALID_LOANS tape's validation counts under reports/ (its report and findings are kept)
    expect(statementsOf('fail').some((s) => actions(s).includes('s3:GetObject') && json(s.Resource).includes('/reports/*'))).toBe(true);
    // publish only reads reports/; the analytics step reads them and writes the market dataset's two files per tape.
    expect(statementsOf('publish').filter((x) => actions(x).some((a) => a.startsWith('s3:'))).map((x) => [actions(x), json(x.Resource)]))
      .toEqual([[['s3:GetObject'], expect.stringContaining('/reports/*')]]);
    const writes = statementsOf('analytics').filter((x) => actions(x).includes('s3:PutObject'));
    expect(writes.map((x) => actions(x).sort())).toEqual([['s3:AbortMultipartUpload', 's3:PutObject']]);
    for (const prefix of ['/analytics/loans/*"', '/analytics/groups/*"']) expect(json(writes[0]!.Resource)).toContain(prefix);
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'analytics'].filter(canDelete)).toEqual(['validate', 'fail']);
    // The API presigns uploads: it may put raw tapes, nothing else under incoming/.
    const putsRaw = (name: string) => statementsOf(name).some((s) => actions(s).includes('s3:PutObject') && json(s.Resource).includes('/incoming/*'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(putsRaw)).toEqual(['api']);
    // Only the API writes exports/ (responses too large to answer inline), and reads them to presign GETs.
    const usesExports = (name: string) => statementsOf(name).some((s) => json(s.Resource).includes('/exports/*'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(usesExports)).toEqual(['api']);
    const exports = statementsOf('api').find((s) => json(s.Resource).includes('/exports/*'))!;
    expect(actions(exports).sort()).toEqual(['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject']);
  });

  it('only evaluate reads deal criteria and residual curves, and may list only those prefixes (so a missing file is a 404)', () => {
    const readsCriteria = (name: string) => statementsOf(name).some((s) => actions(s).includes('s3:GetObject') && json(s.Resource).includes('/criteria/*'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(readsCriteria)).toEqual(['evaluate']);
    const list = statementsOf('evaluate').filter((s) => actions(s).includes('s3:ListBucket'));
    expect(list.map((s) => s.Condition)).toEqual([
      { StringLike: { 's3:prefix': ['criteria/*'] } }, { StringLike: { 's3:prefix': ['watchlist/*'] } }, { StringLike: { 's3:prefix': ['curve/*'] } },
      { StringLike: { 's3:prefix': ['stress/*'] } },
    ]);
    const readsCurves = (name: string) => statementsOf(name).some((s) => actions(s).includes('s3:GetObject') && json(s.Resource).includes('/curve/*'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(readsCurves)).toEqual(['evaluate']);
    const dealFile = (s: { Condition?: unknown }) => ['mapping/*', 'stress/*'].some((p) => JSON.stringify(s.Condition) === JSON.stringify({ StringLike: { 's3:prefix': [p] } }));
    const listsOutsideMapping = (name: string) => statementsOf(name).some((s) => actions(s).includes('s3:ListBucket') && !listsAnalytics(s) && !dealFile(s));
    expect(['validate', 'score', 'publish', 'fail', 'api'].filter(listsOutsideMapping)).toEqual([]);
  });

  it('only evaluate reads deal watchlist thresholds, and may query the deal\'s tapes for the prior tape', () => {
    const readsWatchlists = (name: string) => statementsOf(name).some((s) => actions(s).includes('s3:GetObject') && json(s.Resource).includes('/watchlist/*'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(readsWatchlists)).toEqual(['evaluate']);
    expect(statementsOf('evaluate').some((s) => actions(s).includes('dynamodb:Query') && json(s.Resource).includes('/index/*'))).toBe(true);
    expect(statementsOf('evaluate').flatMap(actions).filter((a) => a.startsWith('s3:')).sort()).not.toContain('s3:DeleteObject');
  });

  it('validate reads deal column mappings; only the API writes them; both may list only mapping/', () => {
    const onMapping = (name: string) => statementsOf(name).filter((s) => json(s.Resource).includes('/mapping/*'));
    const reads = (name: string) => onMapping(name).some((s) => actions(s).includes('s3:GetObject'));
    const writes = (name: string) => onMapping(name).some((s) => actions(s).includes('s3:PutObject'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(reads)).toEqual(['validate', 'api']);
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(writes)).toEqual(['api']);
    for (const name of ['validate', 'api']) {
      const list = statementsOf(name).filter((s) => actions(s).includes('s3:ListBucket') && json(s.Condition).includes('mapping/'));
      expect(list, name).toHaveLength(1);
      expect(list[0]!.Condition).toEqual({ StringLike: { 's3:prefix': ['mapping/*'] } });
    }
  });

  it('evaluate reads deal stress models; only the API writes them; both may list only stress/', () => {
    const onStress = (name: string) => statementsOf(name).filter((s) => json(s.Resource).includes('/stress/*'));
    const reads = (name: string) => onStress(name).some((s) => actions(s).includes('s3:GetObject'));
    const writes = (name: string) => onStress(name).some((s) => actions(s).includes('s3:PutObject'));
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(reads)).toEqual(['evaluate', 'api']);
    expect(['validate', 'evaluate', 'score', 'publish', 'fail', 'api'].filter(writes)).toEqual(['api']);
    for (const name of ['evaluate', 'api']) {
      const list = statementsOf(name).filter((s) => actions(s).includes('s3:ListBucket') && json(s.Condition).includes('stress/'));
      expect(list.map((s) => s.Condition), name).toEqual([{ StringLike: { 's3:prefix': ['stress/*'] } }]);
    }
  });

  it('DynamoDB access is the results table only; the API writes only re-score job and DMBX series items', () => {
    const table = logicalId('ResultsTable', 'AWS::DynamoDB::Table');
    for (const name of [...PIPELINE_STEPS.map((s) => s.name), 'fail', 'api']) {
      for (const s of statementsOf(name).filter((x) => actions(x).some((a) => a.startsWith('dynamodb:')))) {
        expect(json(s.Resource)).toContain(table);
      }
    }
    expect([...new Set(all('api').filter((a) => a.startsWith('dynamodb:')))].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    const put = statementsOf('api').filter((s) => actions(s).includes('dynamodb:PutItem'));
    expect(put.map((s) => s.Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RESCORE#*'] } },
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DMBX#*'] } },
    ]);
    expect(all('validate').filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it('events:PutEvents only for publish, fail and the API (re-score requests), on the pipeline bus only', () => {
    const bus = logicalId('EventBus', 'AWS::Events::EventBus');
    for (const name of [...PIPELINE_STEPS.map((s) => s.name), 'fail', 'api']) {
      const put = statementsOf(name).filter((s) => actions(s).includes('events:PutEvents'));
      expect(put.length > 0, name).toBe(name === 'publish' || name === 'fail' || name === 'api');
      for (const s of put) expect(json(s.Resource)).toContain(bus);
    }
  });
});

describe('API, alarms, dashboard', () => {
  it('routes go through the Cognito JWT authorizer, except the probe, the OpenAPI document and the page files', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: Match.objectLike({ Issuer: Match.anyValue(), Audience: Match.anyValue() }),
    });
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r.Properties.AuthorizationType]);
    expect(Object.fromEntries(routes)).toEqual({
      'GET /health': 'NONE', 'GET /openapi.json': 'NONE', 'GET /': 'NONE', 'GET /index.html': 'NONE', 'GET /app.js': 'NONE',
      'GET /app.css': 'NONE', 'GET /favicon.svg': 'NONE', 'GET /vendor/chart.umd.min.js': 'NONE', 'ANY /{proxy+}': 'JWT',
      // Page modules added to web/ later are public too, and nothing else is.
      ...Object.fromEntries(pagePaths().map((path) => [`GET ${path}`, 'NONE'])),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 50 }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  });

  it('alarms on failed runs, dead letters and throttling, to an encrypted topic', () => {
    const topic = logicalId('AlarmTopic', 'AWS::SNS::Topic');
    expect(resources[topic]!.Properties.KmsMasterKeyId).toBeDefined();
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    for (const a of alarms) expect(a.AlarmActions).toEqual([{ Ref: topic }]);
    const metrics = alarms.map((a) => `${a.Namespace}/${a.MetricName}`);
    expect(metrics).toEqual(expect.arrayContaining(['AWS/States/ExecutionsFailed', 'AWS/States/ExecutionsTimedOut', 'AWS/SQS/ApproximateNumberOfMessagesVisible']));
    // a function's errors are retried and include nothing a person must act on alone: the dashboard shows them
    expect(metrics.filter((m) => m === 'AWS/Lambda/Errors')).toHaveLength(0);
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});
