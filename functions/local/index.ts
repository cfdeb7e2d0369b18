/** The local stack: the embedded emulators, object versions for s3rver, the runner, recovery, and the whole stack. */
export { startLocalStack, PortInUseError, type LocalStack, type LocalStackOptions, type LocalLog } from './local-stack.ts';
export { LocalRunner, type LocalRunnerOptions, type RunResult, type RunnerStats } from './local-runner.ts';
export { recoverTapes, INTERRUPTED_CODE, RESUMABLE_STATUSES, type RecoveryReport } from './recovery.ts';
export { ObjectVersions, type ObjectVersion } from './s3-versioning.ts';
export { tapeObjectsFromS3rver } from './s3rver-notifications.ts';
export { startS3Emulator, startDynamoDbEmulator, EMULATOR_CREDENTIALS, type RunningEmulator } from './emulators.ts';
export { localConfigFromEnv, dataPaths, LOCAL_BUCKET, LOCAL_DEFAULTS, type LocalConfig } from './local-config.ts';
export { ensureLocalKeys, DEMO_ISSUER_ID, type CreatedKeys } from './local-keys.ts';
export { seedDemoData, DEMO_TAPES } from './demo-data.ts';
export { EventLogPublisher } from './event-log.ts';
export { lockDataDir, DataDirInUseError } from './data-dir-lock.ts';
