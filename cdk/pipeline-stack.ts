/**
 * The DMBS pipeline on AWS: tapes bucket → EventBridge → Step Functions (built from the step
 * list) → Lambda → DynamoDB / S3, the TapeScored/TapeFailed/LoansWatchlisted bus, the HTTP API behind a Cognito
 * JWT authorizer, alarms and a dashboard. Secure by default; every cdk-nag finding that is
 * acknowledged says why, next to the construct it is about.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnRoute, CfnStage, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, TextWidget, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AccountRecovery, ClientAttributes, FeaturePlan, Mfa, StringAttribute, UserPool, UserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, EventField, Match, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, SourceMapMode, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, HttpMethods, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../functions/aws/event-publisher.ts';
import { METRICS_NAMESPACE, SERVICE_NAME, TAPE_FAILURE_METRICS } from '../functions/handlers/metric-names.ts';
import { RESULTS_TABLE } from '../functions/aws/table-definition.ts';
import { RESCORE_EVENT } from '../functions/aws/rescore-requests.ts';
import { pagePaths } from '../functions/api/static-assets.ts';
import { CRITERIA_PREFIX, CURVE_PREFIX, EXPORTS_PREFIX, INCOMING_PREFIX, MAPPING_PREFIX, REPORTS_PREFIX, RESCORES_PREFIX, STRESS_PREFIX, WATCHLIST_PREFIX } from '../functions/pipeline/state.ts';
import {
  ANALYTICS_STEP, API_FUNCTION, FAILURE_STEP, INTAKE, OUTBOX_SWEEP, PIPELINE_STEPS, RESCORE_STEPS, worstCaseSeconds,
  type HandlerName, type RescoreHandlerName, type StepAccess, type StepDefinition,
} from '../functions/pipeline/steps.ts';
import { ANALYTICS_TABLE, GROUPS_ANALYTICS_TABLE } from '../functions/aws/analytics-table.ts';
import { MarketAnalytics } from './market-analytics.ts';
import { buildRescoreDefinition, RESCORE_TIMEOUT } from './rescore-state-machine.ts';
import { buildPipelineDefinition } from './state-machine.ts';

/** The user pool's custom attribute holding an issuer's id (claim `custom:issuerId` of the ID token). */
export const ISSUER_ID_ATTRIBUTE = 'issuerId';

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
  readonly intakeQueue: Queue;
  readonly intakeStarter: NodejsFunction;
  /** Sends owed TapeScored events on a schedule (OUTBOX_SWEEP). */
  readonly outboxSweeper: NodejsFunction;
  readonly functions: Readonly<Record<HandlerName | 'api', NodejsFunction>>;
  /** The re-score workflow: a Distributed Map over a job's tapes (cdk/rescore-state-machine.ts). */
  readonly rescoreStateMachine: StateMachine;
  readonly rescoreFunctions: Readonly<Record<RescoreHandlerName, NodejsFunction>>;
  readonly httpApi: HttpApi;
  readonly userPool: UserPool;
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  /** The market dataset: Glue table and Athena workgroup the API queries. */
  readonly analytics: MarketAnalytics;

  constructor(scope: Construct, id: string, props: PipelineStackProps = {}) {
    super(scope, id, props);

    // ---- storage ----
    this.dataKey = new Key(this, 'DataKey', {
      description: 'DMBS tapes and reports (S3), alarm topic (SNS)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted topic: this account's alarms only (confused deputy).
    this.dataKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    }), 'kms:Decrypt', 'kms:GenerateDataKey');

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
      // Presigned GETs of exports/ (and of large findings under reports/) are followed from the reviewers' page (a redirect from the API's
      // origin): GET from any origin, as the presigned URL itself is the credential.
      // The reviewers' page PUTs issuers' tapes to presigned URLs the same way (one key, one length, 15 minutes).
      cors: [
        { allowedMethods: [HttpMethods.GET], allowedOrigins: ['*'], maxAge: 3600 },
        { allowedMethods: [HttpMethods.PUT], allowedOrigins: ['*'], allowedHeaders: ['*'], maxAge: 3600 },
      ],
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

    this.eventBus = new EventBus(this, 'EventBus', { description: 'DMBS events: TapeScored, TapeFailed, LoansWatchlisted, DmbxSeriesCreated (schemas/*.v1.schema.json)' });
    this.eventBus.archive('EventArchive', {
      description: 'Replay of pipeline events for deal onboarding',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(90),
    });

    // ---- functions ----
    const observability = {
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const environment = {
      DMBS_BUCKET: this.tapesBucket.bucketName,
      DMBS_TABLE: this.resultsTable.tableName,
      ...observability,
      ...(props.maxTapeBytes ? { DMBS_MAX_TAPE_BYTES: String(props.maxTapeBytes) } : {}),
    };
    const fns: Partial<Record<HandlerName | 'api', NodejsFunction>> = this.#stepFunctions([...PIPELINE_STEPS, ANALYTICS_STEP, FAILURE_STEP], environment);
    // The market's dataset: Glue table over analytics/loans/, Athena workgroup (cdk/market-analytics.ts).
    this.analytics = new MarketAnalytics(this, 'Analytics', { dataBucket: this.tapesBucket, dataKey: this.dataKey, accessLogsBucket: this.accessLogsBucket });
    fns.api = this.#function('Api', API_FUNCTION.entry, API_FUNCTION.memoryMb, API_FUNCTION.timeoutSeconds,
      'HTTP API (reviewers, issuers, onboarding)', { incoming: ['write'], reports: ['read'], mapping: ['read', 'write'], stress: ['read', 'write'], table: 'read', exports: true, events: true, rescoreJobs: true, dmbxSeries: true },
      // DMBS_EVENT_BUS: re-score requests start the re-score workflow through the bus.
      {
        ...environment, DMBS_WEB_DIR: '/var/task/web', DMBS_CHART_JS: '/var/task/web/vendor/chart.umd.min.js', DMBS_EVENT_BUS: this.eventBus.eventBusName,
        DMBS_ATHENA_WORKGROUP: this.analytics.workGroupName, DMBS_ATHENA_DATABASE: this.analytics.databaseName,
      },
      WEB_ASSETS_HOOKS);
    this.analytics.grantQuery(fns.api);
    this.functions = fns as Record<HandlerName | 'api', NodejsFunction>;

    // ---- workflow ----
    const workflowLogs = new LogGroup(this, 'PipelineLogs', {
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-pipeline`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Steps call published versions: a deploy during a run cannot mix old and new code. Versions
    // a deploy supersedes are retained, as running executions still call them (docs/aws.md).
    const versions = Object.fromEntries([...PIPELINE_STEPS, ANALYTICS_STEP, FAILURE_STEP].map((def) => [def.name, this.functions[def.name].currentVersion])) as unknown as Record<HandlerName, IFunction>;
    this.stateMachine = new StateMachine(this, 'Pipeline', {
      comment: 'DMBS tape pipeline: validate → evaluate → score → publish → analytics (functions/pipeline/steps.ts)',
      definitionBody: DefinitionBody.fromChainable(buildPipelineDefinition(this, versions)),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: workflowLogs, level: LogLevel.ALL, includeExecutionData: false },
      // Longer than every step's time-outs × attempts and retry waits; a run cut short here leaves the tape active (alarmed).
      timeout: Duration.hours(Math.ceil([...PIPELINE_STEPS, ANALYTICS_STEP, FAILURE_STEP].reduce((sum, step) => sum + worstCaseSeconds(step), 0) / 3600)),
    });
    this.#acknowledgeWorkflowRole(this.stateMachine);

    // ---- intake: S3 Object Created under incoming/ → queue → starter (bounded) → state machine ----
    this.intakeDeadLetterQueue = new Queue(this, 'IntakeDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.intakeDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the intake (uploads EventBridge could not queue, or the starter could not start in time).',
    });
    // Uploads wait here until the starter has room: a burst queues instead of throttling the steps and the API.
    this.intakeQueue = new Queue(this, 'IntakeQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(INTAKE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(INTAKE.retentionDays),
      deadLetterQueue: { queue: this.intakeDeadLetterQueue, maxReceiveCount: INTAKE.maxReceiveCount },
    });
    this.intakeStarter = this.#function('Start', INTAKE.entry, INTAKE.memoryMb, INTAKE.timeoutSeconds,
      'Intake: starts a pipeline run per queued upload while fewer than the cap are running; leaves the rest queued.', {},
      { ...observability, DMBS_STATE_MACHINE: this.stateMachine.stateMachineArn, DMBS_MAX_RUNNING_EXECUTIONS: String(INTAKE.maxRunningExecutions) });
    this.stateMachine.grantStartExecution(this.intakeStarter);
    this.stateMachine.grant(this.intakeStarter, 'states:ListExecutions');
    this.intakeStarter.addEventSource(new SqsEventSource(this.intakeQueue, {
      batchSize: INTAKE.batchSize,
      maxConcurrency: INTAKE.maxConcurrency,
      reportBatchItemFailures: true,
    }));
    new Rule(this, 'TapeUploaded', {
      description: 'A tape was uploaded under incoming/: start the pipeline',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [this.tapesBucket.bucketName] }, object: { key: Match.prefix(INCOMING_PREFIX) } },
      },
      targets: [new SqsQueue(this.intakeQueue, {
        message: RuleTargetInput.fromObject({
          // names the run: a message delivered twice starts one execution (functions/pipeline/intake.ts)
          eventId: EventField.eventId,
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

    // ---- event outbox: TapeScored events the bus refused are sent later, on a schedule ----
    this.outboxSweeper = this.#function('SweepEvents', OUTBOX_SWEEP.entry, OUTBOX_SWEEP.memoryMb, OUTBOX_SWEEP.timeoutSeconds,
      'Publishes the TapeScored events SCORED tapes still owe (the bus refused them through every retry).', OUTBOX_SWEEP.access,
      { ...environment, DMBS_EVENT_BUS: this.eventBus.eventBusName });
    // Tapes owing an event sit in GSI2 partition OUTBOX: the sweep queries that index.
    this.outboxSweeper.addToRolePolicy(new PolicyStatement({ sid: 'OutboxQuery', actions: ['dynamodb:Query'], resources: [`${this.resultsTable.tableArn}/index/*`] }));
    Validations.of(this.outboxSweeper.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.resultsTable.node.defaultChild as never)}.Arn>/index/*]`,
      reason: 'Query on the results table\'s own secondary index GSI2 (partition OUTBOX: tapes owing an event).',
    });
    new Rule(this, 'SweepEventOutbox', {
      description: 'Sends TapeScored events that SCORED tapes still owe (functions/pipeline/event-outbox.ts)',
      schedule: Schedule.rate(Duration.minutes(OUTBOX_SWEEP.everyMinutes)),
      targets: [new LambdaFunction(this.outboxSweeper, { retryAttempts: 2 })],
    });
    // ---- re-score: RescoreRequested on the bus → Distributed Map over the job's tapes ----
    this.rescoreFunctions = this.#stepFunctions(Object.values(RESCORE_STEPS), environment);
    const rescoreLogs = new LogGroup(this, 'RescoreLogs', {
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-rescore`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.rescoreStateMachine = new StateMachine(this, 'Rescore', {
      comment: 'DMBS re-score: list → Distributed Map (claim → evaluate → score → publish → analytics) → finish (functions/pipeline/steps.ts RESCORE_STEPS)',
      // Published versions, as the pipeline's: a deploy during a job cannot mix old and new code.
      definitionBody: DefinitionBody.fromChainable(buildRescoreDefinition(this, Object.fromEntries(
        [...Object.entries(this.rescoreFunctions), ['evaluate', this.functions.evaluate], ['score', this.functions.score], ['analytics', this.functions.analytics]]
          .map(([name, fn]) => [name, (fn as NodejsFunction).currentVersion]),
      ) as unknown as Record<RescoreHandlerName | 'evaluate' | 'score' | 'analytics', IFunction>, this.tapesBucket)),
      stateMachineType: StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: rescoreLogs, level: LogLevel.ALL, includeExecutionData: false },
      timeout: RESCORE_TIMEOUT,
    });
    // The Map reads the job's tape list and writes its results in the KMS-encrypted bucket.
    this.rescoreStateMachine.addToRolePolicy(new PolicyStatement({ sid: 'RescoreObjectsKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.dataKey.keyArn] }));
    this.#acknowledgeWorkflowRole(this.rescoreStateMachine);
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
      // Issuers carry their issuer id, set by an administrator when creating the user and never
      // changeable afterwards (immutable: not even UpdateUserAttributes with the user's own token).
      // Roles are the groups below (cognito:groups claim), which only administrators manage.
      customAttributes: { [ISSUER_ID_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
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
      // Signed-in users may change their name and e-mail, nothing that grants access; they read their issuer id.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true, email: true }),
      readAttributes: new ClientAttributes().withStandardAttributes({ fullname: true, email: true, emailVerified: true }).withCustomAttributes(ISSUER_ID_ATTRIBUTE),
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
    const stage = new HttpStage(this, 'ApiStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLES.default,
      accessLogSettings: { destination: new LogGroupLogDestination(apiLogs), format: AccessLogFormat.jsonWithStandardFields() },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.functions.api);
    // Public, data-free routes: the liveness probe, the OpenAPI document and the reviewers' page files
    // (the page signs in and sends its token on every /v1 call, which the JWT authorizer checks).
    const publicPaths = ['/health', '/openapi.json', ...pagePaths()];
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
    // Per-route throttles: the data routes, the probe and the page each have their own budget, so a
    // flood of one (a monitor polling /health, a client paging through findings) cannot starve the others.
    const routes = this.httpApi.node.children.filter((c) => c.node.defaultChild instanceof CfnRoute);
    (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(routes.map((route) => {
      const key = (route.node.defaultChild as CfnRoute).routeKey;
      const limits = key === 'GET /health' ? API_THROTTLES.health : key === 'ANY /{proxy+}' ? API_THROTTLES.data : API_THROTTLES.public;
      return [key, { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit }];
    }));
    // Route settings name routes by key: the routes must exist before the stage refers to them.
    for (const route of routes) stage.node.addDependency(route);

    // ---- alarms and dashboard ----
    this.alarmTopic = new Topic(this, 'AlarmTopic', { masterKey: this.dataKey, enforceSSL: true, displayName: 'DMBS pipeline alarms' });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    // Alarms page for what needs a person: internal failures, not bad tapes (a user error is a step's
    // normal result, so it is neither a Lambda error nor a failed execution), and throttling that lasts.
    const period = Duration.minutes(5);
    const allFunctions = [...Object.values(this.functions), this.intakeStarter, this.outboxSweeper];
    // An alarm's metric math reads at most 10 metrics (CloudWatch): split the sum before adding more functions.
    if (allFunctions.length > 10) throw new Error(`LambdaThrottles sums ${allFunctions.length} functions' throttles; an alarm may read at most 10 metrics`);
    this.#alarm('TapesFailedInternal', new Metric({
      namespace: METRICS_NAMESPACE, metricName: TAPE_FAILURE_METRICS.internal, dimensionsMap: { service: SERVICE_NAME }, statistic: 'Sum', period,
    }), 'The pipeline marked a tape FAILED for an internal reason after its retries (the tape\'s failure names the run; see its logs). Bad tapes never count here.');
    this.#alarm('PipelineFailed', this.stateMachine.metricFailed({ period }), 'A pipeline run failed: an internal failure, or the failure handler itself failed (user errors end as TapeRejected, a success).');
    this.#alarm('PipelineTimedOut', this.stateMachine.metricTimedOut({ period }), 'A pipeline run timed out: its tape stays in a non-final status until retried.');
    this.#alarm('PipelineAborted', this.stateMachine.metricAborted({ period }), 'A pipeline run was aborted: its tape stays in a non-final status until retried.');
    this.#alarm('PipelineThrottled', this.stateMachine.metricThrottled({ period }), 'Step Functions throttled the pipeline\'s executions or transitions: raise the account quota or lower INTAKE.maxRunningExecutions.', SUSTAINED);
    this.#alarm('IntakeDeadLetters', this.intakeDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period }),
      'Uploads the intake could not start are waiting in the dead-letter queue: fix the cause, then redrive them.');
    this.#alarm('LambdaThrottles', new MathExpression({
      expression: allFunctions.map((_, i) => `t${i}`).join(' + '),
      usingMetrics: Object.fromEntries(allFunctions.map((fn, i) => [`t${i}`, fn.metricThrottles({ period, statistic: 'Sum' })])),
      period, label: 'Throttles, all functions',
    }), 'Lambda throttled the pipeline\'s or the API\'s functions for 15 minutes: the steps retry, but the API answers 429/5xx. Check the account\'s concurrency.', SUSTAINED);
    // The re-score's own functions would take the sum above past 10 metrics: their own alarm (its
    // evaluate and score steps are the pipeline's, counted above).
    const rescoreFunctions = Object.values(this.rescoreFunctions);
    this.#alarm('RescoreLambdaThrottles', new MathExpression({
      expression: rescoreFunctions.map((_, i) => `t${i}`).join(' + '),
      usingMetrics: Object.fromEntries(rescoreFunctions.map((fn, i) => [`t${i}`, fn.metricThrottles({ period, statistic: 'Sum' })])),
      period, label: 'Throttles, re-score functions',
    }), 'Lambda throttled the re-score workflow\'s functions for 15 minutes: the steps retry, but a job slows down. Check the account\'s concurrency or lower RESCORE_MAP.maxConcurrency.', SUSTAINED);
    this.#alarm('DynamoDbThrottles', new MathExpression({
      expression: 'r + w',
      usingMetrics: { r: this.resultsTable.metric('ReadThrottleEvents', { period, statistic: 'Sum' }), w: this.resultsTable.metric('WriteThrottleEvents', { period, statistic: 'Sum' }) },
      period, label: 'Results table throttle events',
    }), 'DynamoDB throttled the results table for 15 minutes (see docs/aws.md: hot partitions).', SUSTAINED);
    this.#alarm('Api5xx', this.httpApi.metricServerError({ period, statistic: 'Sum' }), 'The API answered 5xx to several requests in 5 minutes (see the API function\'s logs).', { threshold: 5 });

    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${this.stackName}-pipeline`, defaultInterval: Duration.days(1) });
    dashboard.addWidgets(
      new TextWidget({ markdown: '# DMBS pipeline\nRuns, step durations and errors, intake dead letters. Runbook: docs/aws.md.', width: 24, height: 2 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Pipeline runs', width: 12,
        left: [this.stateMachine.metricStarted({ period }), this.stateMachine.metricSucceeded({ period }), this.stateMachine.metricFailed({ period }), this.stateMachine.metricTimedOut({ period })],
      }),
      new GraphWidget({
        title: 'Intake: uploads waiting, dead letters', width: 12,
        left: [this.intakeQueue.metricApproximateNumberOfMessagesVisible({ period }), this.intakeDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period })],
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Step duration p95 (ms)', width: 12, left: Object.values(this.functions).map((fn) => fn.metricDuration({ period, statistic: 'p95' })) }),
      new GraphWidget({ title: 'Function errors (retried; internal only)', width: 12, left: allFunctions.map((fn) => fn.metricErrors({ period })) }),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: 'Throttles', width: 24, left: [...allFunctions.map((fn) => fn.metricThrottles({ period })), this.stateMachine.metricThrottled({ period })] }),
    );

    new CfnOutput(this, 'TapesBucketName', { value: this.tapesBucket.bucketName, description: 'Upload tapes to s3://<this>/incoming/{issuerId}/{dealId}/{fileName}' });
    new CfnOutput(this, 'ResultsTableName', { value: this.resultsTable.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: webClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'AnalyticsWorkGroup', { value: this.analytics.workGroupName, description: 'Athena workgroup of the market queries (tables dmbs_loans and dmbs_tape_groups in the database AnalyticsDatabase)' });
    new CfnOutput(this, 'AnalyticsDatabase', { value: this.analytics.databaseName });
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
      // A deploy adds a version and must not delete the one running executions still call.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
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

  /** cdk-nag findings every workflow role has: X-Ray and log delivery (its steps are invoked by version ARN, no wildcard). */
  #acknowledgeWorkflowRole(machine: StateMachine): void {
    Validations.of(machine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/GetSamplingRules and CloudWatch Logs delivery (CreateLogDelivery, ...) support no resource-level permissions.',
    });
  }

  #alarm(id: string, metric: IMetric, description: string, when: AlarmWhen = {}): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      metric,
      threshold: when.threshold ?? 1,
      evaluationPeriods: when.periods ?? 1,
      datapointsToAlarm: when.periods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}

/** When an alarm fires: at least `threshold` in each of `periods` consecutive 5-minute periods (default 1 in 1). */
interface AlarmWhen {
  readonly threshold?: number;
  readonly periods?: number;
}

/** Throttling the retries absorb pages only when it lasts: three 5-minute periods in a row. */
const SUSTAINED: AlarmWhen = { periods: 3 };

/** API Gateway throttles per route (requests per second, burst). */
export const API_THROTTLES = {
  /** Stage default, for any route without its own. */
  default: { rateLimit: 50, burstLimit: 100 },
  /** Every /v1 route (the data). */
  data: { rateLimit: 50, burstLimit: 100 },
  /** The liveness probe: its own small budget, apart from the data. */
  health: { rateLimit: 5, burstLimit: 10 },
  /** The OpenAPI document and the page's static files. */
  public: { rateLimit: 20, burstLimit: 40 },
} as const;

/** The API bundle carries the reviewers' page (web/) and Chart.js, served by the same app (functions/api/static-assets.ts). */
const WEB_ASSETS_HOOKS: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `mkdir -p "${outputDir}/web/vendor"`,
    `cp "${inputDir}"/web/*.html "${inputDir}"/web/*.js "${inputDir}"/web/*.css "${inputDir}"/web/*.svg "${outputDir}/web/"`,
    `cp "${inputDir}/node_modules/chart.js/dist/chart.umd.min.js" "${outputDir}/web/vendor/"`,
  ],
};

/** The prefixes a function's S3 statements are scoped to. */
function scopedPrefixes(access: StepAccess): string[] {
  return [
    ...(access.incoming ? [INCOMING_PREFIX] : []), ...(access.reports ? [REPORTS_PREFIX] : []), ...(access.criteria ? [CRITERIA_PREFIX] : []),
    ...(access.mapping ? [MAPPING_PREFIX] : []), ...(access.stress ? [STRESS_PREFIX] : []), ...(access.watchlist ? [WATCHLIST_PREFIX] : []),
    ...(access.curve ? [CURVE_PREFIX] : []), ...(access.exports ? [EXPORTS_PREFIX] : []), ...(access.rescores ? [RESCORES_PREFIX] : []),
    ...(access.analytics ? [ANALYTICS_TABLE.prefix, GROUPS_ANALYTICS_TABLE.prefix] : []),
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
  // Deal files read with their defaults as fallback: without ListBucket a missing file answers 403 instead of 404.
  const readDealFiles = (sid: string, prefix: string) => {
    out.push(new PolicyStatement({ sid: `ReadDeal${sid}`, actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }));
    out.push(new PolicyStatement({ sid: `ListDeal${sid}`, actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }));
    kms.add('kms:Decrypt');
  };
  if (access.criteria?.includes('read')) readDealFiles('Criteria', CRITERIA_PREFIX);
  if (access.watchlist?.includes('read')) readDealFiles('Watchlists', WATCHLIST_PREFIX);
  if (access.curve?.includes('read')) readDealFiles('Curves', CURVE_PREFIX);
  // As for criteria, with writes where the API keeps the file (no mapping, or the default stress model, when missing).
  const dealFiles = (files: ReadonlyArray<'read' | 'write'> | undefined, prefix: string, sid: string) => {
    if (!files) return;
    const write = files.includes('write');
    out.push(new PolicyStatement({ sid, actions: ['s3:GetObject', ...(write ? ['s3:PutObject'] : [])], resources: [bucket.arnForObjects(`${prefix}*`)] }));
    out.push(new PolicyStatement({ sid: `List${sid}`, actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } }));
    kms.add('kms:Decrypt');
    if (write) kms.add('kms:GenerateDataKey');
  };
  dealFiles(access.mapping, MAPPING_PREFIX, 'DealMappings');
  dealFiles(access.stress, STRESS_PREFIX, 'DealStressModels');
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
  if (access.analytics?.includes('write')) {
    // The market dataset's two files per tape (the loans, the group sums), written in parts.
    out.push(new PolicyStatement({
      sid: 'AnalyticsWrite', actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: [bucket.arnForObjects(`${ANALYTICS_TABLE.prefix}*`), bucket.arnForObjects(`${GROUPS_ANALYTICS_TABLE.prefix}*`)],
    }));
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
  if (access.dmbxSeries) {
    // Only DMBX series items (immutable: created with a condition, never updated).
    out.push(new PolicyStatement({
      sid: 'DmbxSeriesItems', actions: ['dynamodb:PutItem'], resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DMBX#*'] } },
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
