/**
 * The DMBS pipeline on AWS: tapes bucket → EventBridge → Step Functions (built from the step
 * list) → Lambda → DynamoDB / S3, the TapeScored/TapeFailed bus, the HTTP API behind a Cognito
 * JWT authorizer, alarms and a dashboard. Secure by default; every cdk-nag finding that is
 * acknowledged says why, next to the construct it is about.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, TextWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRecovery, FeaturePlan, Mfa, StringAttribute, UserPool, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, EventField, Match, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, HttpMethods, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../functions/aws/event-publisher.ts';
import { RESULTS_TABLE } from '../functions/aws/table-definition.ts';
import { RESCORE_EVENT } from '../functions/aws/rescore-requests.ts';
import { CRITERIA_PREFIX, EXPORTS_PREFIX, INCOMING_PREFIX, REPORTS_PREFIX, RESCORES_PREFIX } from '../functions/pipeline/state.ts';
import { API_FUNCTION, FAILURE_STEP, PIPELINE_STEPS, RESCORE_STEPS, type HandlerName, type RescoreHandlerName, type StepAccess, type StepDefinition } from '../functions/pipeline/steps.ts';
import { buildRescoreDefinition, RESCORE_TIMEOUT } from './rescore-state-machine.ts';
import { buildPipelineDefinition } from './state-machine.ts';

/** Repository root (entries and the lock file are resolved from it). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface PipelineStackProps extends StackProps {
  /** Where alarms are e-mailed (optional; subscribe anything else to the topic). */
  readonly alarmEmail?: string;
  /** Largest tape accepted, bytes (default: the validate step's own default, 2 GiB). */
  readonly maxTapeBytes?: number;
}

export class PipelineStack extends Stack {
  readonly dataKey: Key;
  readonly tapesBucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly resultsTable: Table;
  readonly eventBus: EventBus;
  readonly stateMachine: StateMachine;
  readonly intakeDeadLetterQueue: Queue;
  readonly functions: Readonly<Record<HandlerName | 'api', NodejsFunction>>;
  /** The re-score workflow: a Distributed Map over a job's tapes (cdk/rescore-state-machine.ts). */
  readonly rescoreStateMachine: StateMachine;
  readonly rescoreFunctions: Readonly<Record<RescoreHandlerName, NodejsFunction>>;
  readonly httpApi: HttpApi;
  readonly userPool: UserPool;
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, props);

    // ---- storage ----
    this.dataKey = new Key(this, 'DataKey', {
      description: 'DMBS tapes and reports (S3), alarm topic (SNS)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic.
    this.dataKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      // Server access log delivery supports SSE-S3 only, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the tapes bucket; logging it to itself would loop and another log bucket would need one too.',
    });

    this.tapesBucket = new Bucket(this, 'TapesBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true, // one KMS call per object per bucket key, not per request: cost
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true, // each upload is its own object version: the unit of at-most-once processing
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'tapes-bucket/',
      lifecycleRules: [
        {
          id: 'raw-tapes',
          prefix: INCOMING_PREFIX,
          transitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(180) },
          ],
          noncurrentVersionExpiration: Duration.days(90),
        },
        {
          id: 'reports',
          prefix: REPORTS_PREFIX,
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
          // Artifacts of failed or duplicate tapes are deleted; their old versions go after a week.
          noncurrentVersionExpiration: Duration.days(7),
        },
        { id: 'incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(2) },
        // Large API responses, fetched through presigned GETs valid for minutes: a day is plenty.
        { id: 'exports', prefix: EXPORTS_PREFIX, expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
      ],
      // Presigned GETs of exports/ are followed from the reviewers' page (a redirect from the API's
      // origin): GET from any origin, as the presigned URL itself is the credential.
      cors: [{ allowedMethods: [HttpMethods.GET], allowedOrigins: ['*'], maxAge: 3600 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // EventBridge notifications as a plain bucket property: `eventBridgeEnabled: true` would add a
    // custom-resource Lambda (with an AWS-managed policy) just to make the same API call.
    (this.tapesBucket.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    this.resultsTable = new Table(this, 'ResultsTable', {
      partitionKey: { name: RESULTS_TABLE.partitionKey.name, type: AttributeType.STRING },
      sortKey: { name: RESULTS_TABLE.sortKey.name, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-managed KMS key: encrypted at rest, and callers need no KMS permissions of their own.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of RESULTS_TABLE.globalSecondaryIndexes) {
      this.resultsTable.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: AttributeType.STRING },
        sortKey: { name: index.sortKey.name, type: AttributeType.STRING },
      });
    }

    this.eventBus = new EventBus(this, 'EventBus', { description: 'DMBS pipeline events: TapeScored, TapeFailed (schemas/tape-*.v1.schema.json)' });
    this.eventBus.archive('EventArchive', {
      description: 'Replay of pipeline events for deal onboarding',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(90),
    });

    // ---- functions ----
    const environment = {
      DMBS_BUCKET: this.tapesBucket.bucketName,
      DMBS_TABLE: this.resultsTable.tableName,
      POWERTOOLS_SERVICE_NAME: 'dmbs-pipeline',
      POWERTOOLS_METRICS_NAMESPACE: 'DMBS',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
      ...(props.maxTapeBytes ? { DMBS_MAX_TAPE_BYTES: String(props.maxTapeBytes) } : {}),
    };
    const fns: Partial<Record<HandlerName | 'api', NodejsFunction>> = this.#stepFunctions([...PIPELINE_STEPS, FAILURE_STEP], environment);
    fns.api = this.#function('Api', API_FUNCTION.entry, API_FUNCTION.memoryMb, API_FUNCTION.timeoutSeconds,
      'HTTP API (reviewers, issuers, onboarding)', { incoming: ['write'], reports: ['read'], table: 'read', exports: true, events: true, rescoreJobs: true },
      // DMBS_EVENT_BUS: re-score requests start the re-score workflow through the bus.
      { ...environment, DMBS_WEB_DIR: '/var/task/web', DMBS_CHART_JS: '/var/task/web/vendor/chart.umd.min.js', DMBS_EVENT_BUS: this.eventBus.eventBusName },
      WEB_ASSETS_HOOKS);
    this.functions = fns as Record<HandlerName | 'api', NodejsFunction>;

    // ---- workflow ----
    const workflowLogs = new LogGroup(this, 'PipelineLogs', {
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-pipeline`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'Pipeline', {
      comment: 'DMBS tape pipeline: validate → evaluate → score → publish (functions/pipeline/steps.ts)',
      definitionBody: DefinitionBody.fromChainable(buildPipelineDefinition(this, this.functions)),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: workflowLogs, level: LogLevel.ALL, includeExecutionData: false },
      // Longer than every step's time-out × attempts; a run cut short here leaves the tape active (alarmed).
      timeout: Duration.hours(3),
    });
    this.#acknowledgeWorkflowRole(this.stateMachine, Object.values(this.functions).filter((fn) => fn !== this.functions.api));

    // ---- intake: S3 Object Created under incoming/ → state machine ----
    this.intakeDeadLetterQueue = new Queue(this, 'IntakeDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.intakeDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the intake rule (uploads EventBridge could not hand to Step Functions).',
    });
    new Rule(this, 'TapeUploaded', {
      description: 'A tape was uploaded under incoming/: start the pipeline',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.tapesBucket.bucketName] }, object: { key: Match.prefix(INCOMING_PREFIX) } },
      },
      targets: [new SfnStateMachine(this.stateMachine, {
        input: RuleTargetInput.fromObject({
          object: {
            bucket: EventField.fromPath('$.detail.bucket.name'),
            key: EventField.fromPath('$.detail.object.key'),
            versionId: EventField.fromPath('$.detail.object.version-id'),
            eTag: EventField.fromPath('$.detail.object.etag'),
            size: EventField.fromPath('$.detail.object.size'),
            sequencer: EventField.fromPath('$.detail.object.sequencer'),
            eventTime: EventField.time,
          },
        }),
        deadLetterQueue: this.intakeDeadLetterQueue,
        retryAttempts: 20,
        maxEventAge: Duration.hours(24),
      })],
    });

    // ---- re-score: RescoreRequested on the bus → Distributed Map over the job's tapes ----
    this.rescoreFunctions = this.#stepFunctions(Object.values(RESCORE_STEPS), environment);
    const rescoreLogs = new LogGroup(this, 'RescoreLogs', {
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-rescore`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.rescoreStateMachine = new StateMachine(this, 'Rescore', {
      comment: 'DMBS re-score: list → Distributed Map (claim → evaluate → score → publish) → finish (functions/pipeline/steps.ts RESCORE_STEPS)',
      definitionBody: DefinitionBody.fromChainable(buildRescoreDefinition(this, {
        ...this.rescoreFunctions, evaluate: this.functions.evaluate, score: this.functions.score,
      }, this.tapesBucket)),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: rescoreLogs, level: LogLevel.ALL, includeExecutionData: false },
      timeout: RESCORE_TIMEOUT,
    });
    // The Map reads the job's tape list and writes its results in the KMS-encrypted bucket.
    this.rescoreStateMachine.addToRolePolicy(new PolicyStatement({ sid: 'RescoreObjectsKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.dataKey.keyArn] }));
    this.#acknowledgeWorkflowRole(this.rescoreStateMachine, [...Object.values(this.rescoreFunctions), this.functions.evaluate, this.functions.score]);
    Validations.of(this.rescoreStateMachine).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${this.getLogicalId(this.tapesBucket.node.defaultChild as never)}>/*]`,
      reason: 'The Distributed Map\'s ItemReader and ResultWriter (CDK grants) read the job\'s tape list and write the Map Run results in the one tapes bucket; keys are per job, known only at run time.',
    });
    // The Distributed Map starts, describes and stops its own child executions (CDK's DistributedMapPolicy).
    const self = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${this.getLogicalId(this.rescoreStateMachine.node.defaultChild as never)}"}]}]}`;
    for (const suffix of [':*', '/*:*']) {
      Validations.of(this.rescoreStateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${self}${suffix}]`,
        reason: 'A Distributed Map runs each tape as a child execution of this one state machine; their names are made at run time.',
      });
    }
    new Rule(this, 'RescoreRequested', {
      description: 'A reviewer asked for a re-score (POST /v1/rescores or /v1/tapes/{tapeId}/rescore): start the re-score workflow',
      eventBus: this.eventBus,
      eventPattern: { source: [RESCORE_EVENT.source], detailType: [RESCORE_EVENT.detailType] },
      targets: [new SfnStateMachine(this.rescoreStateMachine, {
        input: RuleTargetInput.fromObject({ jobId: EventField.fromPath('$.detail.jobId'), scope: EventField.fromPath('$.detail.scope') }),
        deadLetterQueue: this.intakeDeadLetterQueue,
        retryAttempts: 20,
        maxEventAge: Duration.hours(24),
      })],
    });
    new CfnOutput(this, 'RescoreStateMachineArn', { value: this.rescoreStateMachine.stateMachineArn });

    // ---- HTTP API behind a Cognito JWT authorizer ----
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Issuers carry their issuer id; roles are the groups below (cognito:groups claim).
      customAttributes: { issuerId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      featurePlan: FeaturePlan.ESSENTIALS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'Plus tier (threat protection) costs per active user; the pool is admin-provisioned only (no self sign-up) with 12-character passwords and mandatory TOTP MFA. Switch featurePlan to PLUS where policy requires it.',
    });
    for (const group of ['reviewer', 'onboarding', 'issuer']) {
      new UserPoolGroup(this, `Group${pascal(group)}`, { userPool: this.userPool, groupName: group, description: `DMBS role: ${group}` });
    }
    const webClient = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'DMBS results API',
      createDefaultStage: false,
      defaultAuthorizer: new HttpUserPoolAuthorizer('CognitoJwt', this.userPool, { userPoolClients: [webClient] }),
    });
    const apiLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    new HttpStage(this, 'ApiStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(apiLogs), format: AccessLogFormat.jsonWithStandardFields() },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.functions.api);
    // Public, data-free routes: the liveness probe, the OpenAPI document and the reviewers' page files
    // (the page signs in and sends its token on every /v1 call, which the JWT authorizer checks).
    const publicPaths = ['/health', '/openapi.json', '/', '/index.html', '/app.js', '/app.css', '/favicon.svg', '/vendor/chart.umd.min.js'];
    for (const path of publicPaths) {
      for (const route of this.httpApi.addRoutes({ path, methods: [HttpMethod.GET], integration, authorizer: new HttpNoneAuthorizer() })) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `GET ${path} is public by design (liveness probe, API description or the page's static files); it reads no tape data.`,
        });
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-COG4',
          reason: `GET ${path} is public by design; every /v1 route uses the Cognito JWT authorizer.`,
        });
      }
    }
    this.httpApi.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration });

    // ---- alarms and dashboard ----
    this.alarmTopic = new Topic(this, 'AlarmTopic', { masterKey: this.dataKey, enforceSSL: true, displayName: 'DMBS pipeline alarms' });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    const period = Duration.minutes(5);
    this.#alarm('PipelineFailed', this.stateMachine.metricFailed({ period }), 'A pipeline run failed for an internal reason (user errors end as TapeRejected).');
    this.#alarm('PipelineTimedOut', this.stateMachine.metricTimedOut({ period }), 'A pipeline run timed out: its tape stays in a non-final status until retried.');
    this.#alarm('PipelineAborted', this.stateMachine.metricAborted({ period }), 'A pipeline run was aborted: its tape stays in a non-final status until retried.');
    this.#alarm('IntakeDeadLetters', this.intakeDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period }),
      'Uploads EventBridge could not hand to the pipeline are waiting in the dead-letter queue: redrive them.');
    for (const [name, fn] of Object.entries(this.functions)) {
      this.#alarm(`${pascal(name)}Errors`, fn.metricErrors({ period }), `The ${name} function reported errors (retried by the workflow; see its logs).`);
    }

    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${this.stackName}-pipeline`, defaultInterval: Duration.days(1) });
    dashboard.addWidgets(
      new TextWidget({ markdown: '# DMBS pipeline\nRuns, step durations and errors, intake dead letters. Runbook: docs/aws.md.', width: 24, height: 2 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Pipeline runs', width: 12,
        left: [this.stateMachine.metricStarted({ period }), this.stateMachine.metricSucceeded({ period }), this.stateMachine.metricFailed({ period }), this.stateMachine.metricTimedOut({ period })],
      }),
      new GraphWidget({ title: 'Intake dead letters', width: 12, left: [this.intakeDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period })] }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Step duration p95 (ms)', width: 12, left: Object.values(this.functions).map((fn) => fn.metricDuration({ period, statistic: 'p95' })) }),
      new GraphWidget({ title: 'Function errors', width: 12, left: Object.values(this.functions).map((fn) => fn.metricErrors({ period })) }),
    );

    new CfnOutput(this, 'TapesBucketName', { value: this.tapesBucket.bucketName, description: 'Upload tapes to s3://<this>/incoming/{issuerId}/{dealId}/{fileName}' });
    new CfnOutput(this, 'ResultsTableName', { value: this.resultsTable.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: webClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }

  /** One function per step definition; only steps that emit events are told the bus. */
  #stepFunctions<N extends string>(defs: ReadonlyArray<StepDefinition<N>>, environment: Record<string, string>): Record<N, NodejsFunction> {
    const out: Partial<Record<N, NodejsFunction>> = {};
    for (const def of defs) {
      out[def.name] = this.#function(pascal(def.name), def.entry, def.memoryMb, def.timeoutSeconds, def.description, def.access, {
        ...environment,
        ...(def.access.events ? { DMBS_EVENT_BUS: this.eventBus.eventBusName } : {}),
      });
    }
    return out as Record<N, NodejsFunction>;
  }

  /** One function: its own role with only what `access` allows, its own log group, arm64, Node 22, ESM bundle. */
  #function(id: string, entry: string, memoryMb: number, timeoutSeconds: number, description: string, access: StepAccess, environment: Record<string, string>, commandHooks?: ICommandHooks): NodejsFunction {
    const logGroup = new LogGroup(this, `${id}Logs`, { retention: RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    const role = new Role(this, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `DMBS ${id} function` });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    for (const statement of accessStatements(access, this.tapesBucket, this.dataKey, this.resultsTable, this.eventBus)) role.addToPolicy(statement);

    const fn = new NodejsFunction(this, `${id}Function`, {
      description: description.slice(0, 256),
      entry: join(REPO_ROOT, entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: memoryMb,
      timeout: Duration.seconds(timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        // The SDK version the tests ran against, not whatever the runtime ships.
        bundleAwsSDK: true,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        mainFields: ['module', 'main'],
        // CommonJS dependencies bundled into ESM still call require().
        banner: "import { createRequire as __dmbsCreateRequire } from 'node:module'; const require = __dmbsCreateRequire(import.meta.url);",
        ...(commandHooks ? { commandHooks } : {}),
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
    });
    for (const prefix of scopedPrefixes(access)) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.tapesBucket.node.defaultChild as never)}.Arn>/${prefix}*]`,
        reason: `Scoped to the objects under ${prefix} of the one tapes bucket (object keys are only known at run time).`,
      });
    }
    if (access.table === 'read' || access.tableQuery) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.resultsTable.node.defaultChild as never)}.Arn>/index/*]`,
        reason: 'Query on the results table\'s own secondary indexes (GSI1 tapes by deal, GSI2 by status / deals).',
      });
    }
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22.x is pinned on purpose: the project builds and tests on Node 20/22 LTS; move to the next LTS runtime together with the toolchain.',
    });
    return fn;
  }

  /** cdk-nag findings every workflow role has: invoking its functions' versions, X-Ray and log delivery. */
  #acknowledgeWorkflowRole(machine: StateMachine, invoked: readonly NodejsFunction[]): void {
    for (const fn of invoked) {
      Validations.of(machine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.node.defaultChild as never)}.Arn>:*]`,
        reason: 'Step Functions may invoke any version or alias of this one function of the workflow (CDK grant for LambdaInvoke).',
      });
    }
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/GetSamplingRules and CloudWatch Logs delivery (CreateLogDelivery, ...) support no resource-level permissions.',
    });
  }

  #alarm(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}

/** The API bundle carries the reviewers' page (web/) and Chart.js, served by the same app (functions/api/static-assets.ts). */
const WEB_ASSETS_HOOKS: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `mkdir -p "${outputDir}/web/vendor"`,
    `cp "${inputDir}/web/index.html" "${inputDir}/web/app.js" "${inputDir}/web/app.css" "${inputDir}/web/favicon.svg" "${outputDir}/web/"`,
    `cp "${inputDir}/node_modules/chart.js/dist/chart.umd.min.js" "${outputDir}/web/vendor/"`,
  ],
};

/** The prefixes a function's S3 statements are scoped to. */
function scopedPrefixes(access: StepAccess): string[] {
  return [
    ...(access.incoming ? [INCOMING_PREFIX] : []), ...(access.reports ? [REPORTS_PREFIX] : []), ...(access.criteria ? [CRITERIA_PREFIX] : []),
    ...(access.exports ? [EXPORTS_PREFIX] : []), ...(access.rescores ? [RESCORES_PREFIX] : []),
  ];
}

/** Least-privilege statements for one function's declared access (explicit actions, no action wildcards). */
export function accessStatements(access: StepAccess, bucket: Bucket, key: Key, table: Table, bus: EventBus): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  const kms = new Set<string>();
  if (access.incoming?.includes('read')) {
    out.push(new PolicyStatement({ sid: 'ReadRawTapes', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [bucket.arnForObjects(`${INCOMING_PREFIX}*`)] }));
    kms.add('kms:Decrypt');
  }
  if (access.incoming?.includes('write')) {
    // Presigned uploads are signed with this role: the API scopes each URL to the caller's own issuer prefix.
    out.push(new PolicyStatement({ sid: 'PresignUploads', actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${INCOMING_PREFIX}*`)] }));
    kms.add('kms:GenerateDataKey');
  }
  if (access.criteria?.includes('read')) {
    out.push(new PolicyStatement({ sid: 'ReadDealCriteria', actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${CRITERIA_PREFIX}*`)] }));
    // Without ListBucket a missing criteria file answers 403 instead of 404 (default criteria then apply).
    out.push(new PolicyStatement({ sid: 'ListDealCriteria', actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${CRITERIA_PREFIX}*`] } } }));
    kms.add('kms:Decrypt');
  }
  if (access.reports) {
    const actions: string[] = [];
    if (access.reports.includes('read')) actions.push('s3:GetObject');
    if (access.reports.includes('write')) actions.push('s3:PutObject', 's3:AbortMultipartUpload');
    if (access.reports.includes('delete')) actions.push('s3:DeleteObject');
    out.push(new PolicyStatement({ sid: 'Reports', actions, resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*`)] }));
    // Reads, and multipart uploads (S3 decrypts the parts to complete them); deleting needs no key.
    if (access.reports.includes('read') || access.reports.includes('write')) kms.add('kms:Decrypt');
    if (access.reports.includes('write')) kms.add('kms:GenerateDataKey');
  }
  if (access.rescores) {
    const actions = [...(access.rescores.includes('read') ? ['s3:GetObject'] : []), ...(access.rescores.includes('write') ? ['s3:PutObject'] : [])];
    out.push(new PolicyStatement({ sid: 'RescoreJobs', actions, resources: [bucket.arnForObjects(`${RESCORES_PREFIX}*`)] }));
    if (access.rescores.includes('read')) kms.add('kms:Decrypt');
    if (access.rescores.includes('write')) kms.add('kms:GenerateDataKey');
  }
  if (access.exports) {
    // Large API responses (functions/api/large-responses.ts): written in parts, read through presigned GETs this role signs.
    out.push(new PolicyStatement({ sid: 'Exports', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'], resources: [bucket.arnForObjects(`${EXPORTS_PREFIX}*`)] }));
    kms.add('kms:Decrypt');
    kms.add('kms:GenerateDataKey');
  }
  if (kms.size > 0) out.push(new PolicyStatement({ sid: 'TapesKey', actions: [...kms].sort(), resources: [key.keyArn] }));
  if (access.table === 'read-write') {
    out.push(new PolicyStatement({ sid: 'Results', actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }));
  } else if (access.table === 'read') {
    out.push(new PolicyStatement({ sid: 'ResultsRead', actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [table.tableArn, `${table.tableArn}/index/*`] }));
  }
  if (access.tableQuery) {
    out.push(new PolicyStatement({ sid: 'ResultsQuery', actions: ['dynamodb:Query'], resources: [table.tableArn, `${table.tableArn}/index/*`] }));
  }
  if (access.rescoreJobs) {
    // Only re-score job items: the API creates the job; the workflow does the rest.
    out.push(new PolicyStatement({
      sid: 'RescoreJobItems', actions: ['dynamodb:PutItem'], resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RESCORE#*'] } },
    }));
  }
  if (access.events) out.push(new PolicyStatement({ sid: 'Events', effect: Effect.ALLOW, actions: ['events:PutEvents'], resources: [bus.eventBusArn] }));
  return out;
}

/** For the tests: the functions' ids by handler name. */
export function functionId(name: HandlerName | RescoreHandlerName | 'api'): string {
  return `${pascal(name)}Function`;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export type { IFunction };
