/** The AWS adapters: clients, the S3 tape store, the DynamoDB results repository, the EventBridge publisher, object-created notifications. */
export { createAwsClients, awsClientOptionsFromEnv, destroyAwsClients, type AwsClients, type AwsClientOptions } from './clients.ts';
export { S3TapeStore, type S3TapeStoreOptions } from './s3-tape-store.ts';
export { DynamoResultsRepository, ensureResultsTable, TapeStateConflict, type TapeRecord, type DealRecord, type Page, type PageOptions } from './results-repository.ts';
export { RESULTS_TABLE, LOCAL_TABLE_NAME, createTableInput, type TableDefinition } from './table-definition.ts';
export { EventBridgePublisher, MemoryEventPublisher, EVENT_SOURCE } from './event-publisher.ts';
export { fromEventBridge, fromS3Notification, type S3ObjectCreatedEvent, type S3NotificationRecord } from './object-created.ts';
