/**
 * The market's analytical dataset on AWS: a Glue Data Catalog table over the Parquet files the
 * pipeline writes under analytics/loans/, a second over the per-tape group sums under
 * analytics/groups/ (what the market statements read), and an Athena workgroup that runs the
 * market SQL (functions/core/market/market-sql.ts) over them. No crawler: the tables are defined here, once.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ANALYTICS_TABLE, GROUPS_ANALYTICS_TABLE, type AnalyticsColumn } from '../functions/aws/analytics-table.ts';

export interface MarketAnalyticsProps {
  /** The tapes bucket: the Parquet files live under its analytics/loans/ prefix. */
  readonly dataBucket: Bucket;
  /** The stack's KMS key (tapes, reports, the Parquet files, and here the query results). */
  readonly dataKey: Key;
  /** Where the results bucket logs its access (the stack's access-log bucket). */
  readonly accessLogsBucket: Bucket;
}

export class MarketAnalytics extends Construct {
  readonly databaseName: string;
  readonly tableName: string = ANALYTICS_TABLE.name;
  readonly groupsTableName: string = GROUPS_ANALYTICS_TABLE.name;
  readonly workGroupName: string;
  readonly resultsBucket: Bucket;
  readonly workGroup: CfnWorkGroup;
  readonly #props: MarketAnalyticsProps;

  constructor(scope: Construct, id: string, props: MarketAnalyticsProps) {
    super(scope, id);
    this.#props = props;
    const stack = Stack.of(this);
    // Glue database names: lower case, digits and underscores; one per stack so two stacks in an account do not collide.
    this.databaseName = `${stack.stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_analytics`;
    this.workGroupName = `${stack.stackName}-analytics`;

    const database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: this.databaseName, description: 'DMBS market dataset: the canonical valid loans of every scored tape, with their results (Parquet)' },
    });

    const table = (id: string, name: string, prefix: string, description: string, columns: readonly AnalyticsColumn[]) => new CfnTable(this, id, {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name,
        description,
        tableType: 'EXTERNAL_TABLE',
        // Not partitioned (docs/aws.md): the Hive path values (issuer, deal, reporting date, tape)
        // are arbitrary strings, which no projection type can enumerate across deals; each file
        // carries them as columns, and Athena reads every file under the location.
        parameters: { classification: 'parquet', EXTERNAL: 'TRUE' },
        storageDescriptor: {
          location: props.dataBucket.s3UrlForObject(prefix),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          columns: columns.map((c) => ({ name: c.name, type: c.glueType, comment: c.comment })),
          compressed: true,
        },
      },
    });
    table('LoansTable', this.tableName, ANALYTICS_TABLE.prefix, 'One row per valid loan of every scored tape (docs/aws.md, "The market dataset")', ANALYTICS_TABLE.columns)
      .addDependency(database);
    table('GroupsTable', this.groupsTableName, GROUPS_ANALYTICS_TABLE.prefix, 'Per scored tape, its eligible balance by key and its off-balance-sheet balance by quarter (docs/market.md)', GROUPS_ANALYTICS_TABLE.columns)
      .addDependency(database);

    this.resultsBucket = new Bucket(this, 'ResultsBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.dataKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      // Query results are read once, right after the query, by the API: a day is plenty.
      lifecycleRules: [
        { id: 'query-results', expiration: Duration.days(ANALYTICS_TABLE.resultsExpireDays) },
        { id: 'incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'DMBS market queries (the API): results encrypted with the stack key, bytes scanned capped per query',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Clients cannot override where results go nor how they are encrypted.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: ANALYTICS_TABLE.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: this.resultsBucket.s3UrlForObject(ANALYTICS_TABLE.resultsPrefix),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.dataKey.keyArn },
          expectedBucketOwner: stack.account,
        },
      },
    });
  }

  /** Exactly what running the market SQL needs: the workgroup, the table's metadata, the Parquet files, the results. */
  grantQuery(grantee: IGrantable): void {
    const stack = Stack.of(this);
    const { dataBucket, dataKey } = this.#props;
    const prefixes = [ANALYTICS_TABLE.prefix, GROUPS_ANALYTICS_TABLE.prefix];
    const statements = [
      new PolicyStatement({
        sid: 'AthenaMarketQueries',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution'],
        resources: [stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName })],
      }),
      new PolicyStatement({
        sid: 'GlueLoansTable',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.databaseName }),
          stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.tableName}` }),
          stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${this.databaseName}/${this.groupsTableName}` }),
        ],
      }),
      // Athena reads the Parquet files with the caller's permissions.
      new PolicyStatement({ sid: 'ReadAnalytics', actions: ['s3:GetObject'], resources: prefixes.map((p) => dataBucket.arnForObjects(`${p}*`)) }),
      new PolicyStatement({
        sid: 'ListAnalytics', actions: ['s3:ListBucket'], resources: [dataBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } },
      }),
      new PolicyStatement({ sid: 'LocateDataBucket', actions: ['s3:GetBucketLocation'], resources: [dataBucket.bucketArn, this.resultsBucket.bucketArn] }),
      new PolicyStatement({
        sid: 'QueryResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [this.resultsBucket.arnForObjects(`${ANALYTICS_TABLE.resultsPrefix}*`)],
      }),
      new PolicyStatement({
        sid: 'ListQueryResults', actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [this.resultsBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${ANALYTICS_TABLE.resultsPrefix}*`] } },
      }),
      // Parquet files and results are encrypted with the stack key.
      new PolicyStatement({ sid: 'AnalyticsKey', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [dataKey.keyArn] }),
    ];
    for (const statement of statements) grantee.grantPrincipal.addToPrincipalPolicy(statement);
    const role = (grantee.grantPrincipal as unknown as Construct);
    const dataBucketId = stack.getLogicalId(dataBucket.node.defaultChild as never);
    const resultsBucketId = stack.getLogicalId(this.resultsBucket.node.defaultChild as never);
    for (const prefix of prefixes) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${dataBucketId}.Arn>/${prefix}*]`,
        reason: `Athena reads the Parquet files under ${prefix} of the tapes bucket with the API's permissions; one object per scored tape, named at run time.`,
      });
    }
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${resultsBucketId}.Arn>/${ANALYTICS_TABLE.resultsPrefix}*]`,
      reason: 'Athena writes each query\'s result under the workgroup\'s results prefix with the caller\'s permissions; the API reads it back. Names are query ids.',
    });
  }
}
