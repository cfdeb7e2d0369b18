/**
 * The market dataset on AWS: the Glue table over analytics/loans/ (no crawler), the Athena
 * workgroup (enforced, encrypted results, bytes-scanned cutoff) and the API's least privilege
 * to query it. cdk-nag and cfn-lint run over the whole stack in their own files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYTICS_TABLE, GROUPS_ANALYTICS_TABLE } from '../../functions/aws/analytics-table.ts';
import { functionId } from '../../cdk/pipeline-stack.ts';
import { ANALYTICS_PREFIX, GROUPS_PREFIX } from '../../functions/pipeline/loan-parquet.ts';
import { synthPipeline } from './support/synth.ts';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let resources: Record<string, Resource>;
let stack: ReturnType<typeof synthPipeline>['stack'];

beforeAll(() => {
  const built = synthPipeline();
  stack = built.stack;
  resources = built.template.toJSON().Resources as Record<string, Resource>;
});

const json = (v: unknown) => JSON.stringify(v);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string, prefix = '') => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return found[0]!;
};
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function apiStatements(): Statement[] {
  const [fnId] = only('AWS::Lambda::Function', functionId('api'));
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => json(p.Properties.Roles) === json([{ Ref: roleId }]))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

describe('Glue Data Catalog', () => {
  it('one database; dmbs_loans over analytics/loans/ and dmbs_tape_groups over analytics/groups/ of the tapes bucket, Parquet, no crawler', () => {
    const [, db] = only('AWS::Glue::Database');
    expect(db.Properties.DatabaseInput.Name).toBe(stack.analytics.databaseName);
    expect(stack.analytics.databaseName).toMatch(/^[a-z0-9_]+$/);
    const tables = ofType('AWS::Glue::Table').map(([, t]) => t);
    expect(tables.map((t) => t.Properties.TableInput.Name).sort()).toEqual(['dmbs_loans', 'dmbs_tape_groups']);
    // The prefixes the pipeline writes the files under.
    expect(ANALYTICS_TABLE.prefix).toBe(ANALYTICS_PREFIX);
    expect(GROUPS_ANALYTICS_TABLE.prefix).toBe(GROUPS_PREFIX);
    const tapes = only('AWS::S3::Bucket', 'TapesBucket')[0];
    for (const [def, path] of [[ANALYTICS_TABLE, '/analytics/loans/'], [GROUPS_ANALYTICS_TABLE, '/analytics/groups/']] as const) {
      const table = tables.find((t) => t.Properties.TableInput.Name === def.name)!;
      const input = table.Properties.TableInput;
      expect(table.Properties.DatabaseName).toBe(stack.analytics.databaseName);
      expect(input.TableType).toBe('EXTERNAL_TABLE');
      const sd = input.StorageDescriptor;
      expect(json(sd.Location)).toContain(tapes);
      expect(json(sd.Location)).toContain(path);
      expect(sd.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      expect(sd.InputFormat).toContain('Parquet');
      expect(sd.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type])).toEqual(def.columns.map((c) => [c.name, c.glueType]));
      // The path values are columns of the files, not partition keys (docs/aws.md).
      expect(input.PartitionKeys ?? []).toEqual([]);
    }
    expect(ofType('AWS::Glue::Crawler')).toEqual([]);
  });
});

describe('Athena workgroup', () => {
  it('enforces its configuration: results in its own bucket, SSE-KMS with the stack key, a bytes-scanned cutoff, engine 3', () => {
    const [, wg] = only('AWS::Athena::WorkGroup');
    const config = wg.Properties.WorkGroupConfiguration;
    expect(wg.Properties.Name).toBe(stack.analytics.workGroupName);
    expect(config.EnforceWorkGroupConfiguration).toBe(true);
    expect(config.BytesScannedCutoffPerQuery).toBe(ANALYTICS_TABLE.bytesScannedCutoffPerQuery);
    expect(config.BytesScannedCutoffPerQuery).toBeGreaterThanOrEqual(10_000_000);
    expect(config.EngineVersion.SelectedEngineVersion).toBe('Athena engine version 3');
    const [key] = only('AWS::KMS::Key');
    const [results] = only('AWS::S3::Bucket', 'AnalyticsResultsBucket');
    expect(config.ResultConfiguration.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS');
    expect(json(config.ResultConfiguration.EncryptionConfiguration.KmsKey)).toContain(key);
    expect(json(config.ResultConfiguration.OutputLocation)).toContain(results);
    expect(json(config.ResultConfiguration.OutputLocation)).toContain(`/${ANALYTICS_TABLE.resultsPrefix}`);
  });

  it('the results bucket is KMS-encrypted with the stack key, private, logged, and expires results', () => {
    const [, bucket] = only('AWS::S3::Bucket', 'AnalyticsResultsBucket');
    const [key] = only('AWS::KMS::Key');
    const sse = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(sse.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    expect(json(sse.ServerSideEncryptionByDefault.KMSMasterKeyID)).toContain(key);
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(json(bucket.Properties.LoggingConfiguration.DestinationBucketName)).toContain('AccessLogsBucket');
    expect(bucket.Properties.LifecycleConfiguration.Rules).toContainEqual(expect.objectContaining({ ExpirationInDays: ANALYTICS_TABLE.resultsExpireDays, Status: 'Enabled' }));
  });
});

describe('who writes the dataset', () => {
  it('only the analytics step puts objects under analytics/ (the loans\' and the group sums\' files)', () => {
    for (const prefix of ['/analytics/loans/*', '/analytics/groups/*']) {
      const writers = ofType('AWS::IAM::Policy')
        .filter(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).some((s) => actions(s).includes('s3:PutObject') && json(s.Resource).includes(prefix)))
        .map(([id]) => id.replace(/RoleDefaultPolicy.*$/, ''));
      expect(writers.sort(), prefix).toEqual(['Analytics']);
    }
  });

  it('the API creates DMBX series items only (PutItem limited to DMBX# keys)', () => {
    const puts = apiStatements().filter((s) => actions(s).includes('dynamodb:PutItem'));
    expect(puts.map((s) => s.Condition)).toContainEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DMBX#*'] } });
    for (const s of puts) expect(json(s.Condition)).toMatch(/LeadingKeys":\["(RESCORE|DMBX)#\*"\]/);
  });
});

describe('the API function queries the dataset with least privilege', () => {
  it('is told the workgroup and the database', () => {
    const [, fn] = only('AWS::Lambda::Function', functionId('api'));
    expect(fn.Properties.Environment.Variables.DMBS_ATHENA_WORKGROUP).toBe(stack.analytics.workGroupName);
    expect(fn.Properties.Environment.Variables.DMBS_ATHENA_DATABASE).toBe(stack.analytics.databaseName);
  });

  it('runs queries in its workgroup only; reads the table\'s metadata only', () => {
    const statements = apiStatements();
    const athena = statements.filter((s) => actions(s).some((a) => a.startsWith('athena:')));
    expect(athena).toHaveLength(1);
    expect(actions(athena[0]!).sort()).toEqual(['athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StartQueryExecution', 'athena:StopQueryExecution']);
    expect(json(athena[0]!.Resource)).toContain(`:workgroup/${stack.analytics.workGroupName}`);
    const glue = statements.filter((s) => actions(s).some((a) => a.startsWith('glue:')));
    expect(glue).toHaveLength(1);
    expect(actions(glue[0]!).sort()).toEqual(['glue:GetDatabase', 'glue:GetPartitions', 'glue:GetTable']);
    const glueResources = json(glue[0]!.Resource);
    expect(glueResources).toContain(`:table/${stack.analytics.databaseName}/dmbs_loans`);
    expect(glueResources).toContain(`:table/${stack.analytics.databaseName}/dmbs_tape_groups`);
    expect(glueResources).toContain(`:database/${stack.analytics.databaseName}`);
    expect(glueResources).not.toContain('*');
    expect(statements.flatMap(actions).filter((a) => /^(glue|athena):.*(Create|Update|Delete|Put|Batch)/.test(a))).toEqual([]);
  });

  it('reads analytics/ (never writes it), and reads and writes only the results prefix of the results bucket', () => {
    const statements = apiStatements();
    const onAnalytics = statements.filter((s) => json(s.Resource).includes('/analytics/loans/*'));
    expect(onAnalytics.flatMap(actions)).toEqual(['s3:GetObject']);
    expect(json(onAnalytics[0]!.Resource)).toContain('/analytics/groups/*');
    const [results] = only('AWS::S3::Bucket', 'AnalyticsResultsBucket');
    const onResults = statements.filter((s) => json(s.Resource).includes(results));
    for (const s of onResults) {
      const scoped = json(s.Resource).includes(`/${ANALYTICS_TABLE.resultsPrefix}*`) || /"s3:prefix":\["results\/\*"\]/.test(json(s.Condition)) || json(actions(s)) === '["s3:GetBucketLocation"]';
      expect(scoped, json(s)).toBe(true);
    }
    expect(onResults.flatMap(actions)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject']));
    expect(statements.flatMap(actions)).not.toContain('s3:DeleteObject');
  });
});
