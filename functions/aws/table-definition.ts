/**
 * The results table, defined once: the CDK stack builds its Table from this, the local stack
 * and the integration tests create it in the emulator with `createTableInput`. Key design and
 * access patterns: docs/aws.md "DynamoDB". No I/O.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S';
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Global secondary indexes, all projecting ALL attributes (items are small). */
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
}

/**
 * PK/SK: `TAPE#{tapeId}`/`TAPE` (tape), `ISSUER#{issuerId}`/`DEAL#{dealId}` (deal),
 * `DEAL#{issuerId}#{dealId}`/`SHA#{sha256}` (content marker).
 * GSI1 (tapes of a deal, newest first): GSI1PK `DEAL#{issuerId}#{dealId}`, GSI1SK `{uploadedAt}#{tapeId}`.
 * GSI2 (by status; deals by activity; events owed): GSI2PK `STATUS#{status}`, `DEALS` or `OUTBOX`, GSI2SK `{updatedAt}#...`.
 */
export const RESULTS_TABLE: TableDefinition = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
  globalSecondaryIndexes: [
    { indexName: 'GSI1', partitionKey: { name: 'GSI1PK', type: 'S' }, sortKey: { name: 'GSI1SK', type: 'S' } },
    { indexName: 'GSI2', partitionKey: { name: 'GSI2PK', type: 'S' }, sortKey: { name: 'GSI2SK', type: 'S' } },
  ],
};

/** Default table name outside AWS (the stack lets CloudFormation name it). */
export const LOCAL_TABLE_NAME = 'dmbs-results';

/** CreateTable input for an emulator (on-demand, like the stack). */
export function createTableInput(tableName: string, table: TableDefinition = RESULTS_TABLE): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute>();
  for (const a of [table.partitionKey, table.sortKey, ...table.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]) {
    attributes.set(a.name, a);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: table.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: table.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
