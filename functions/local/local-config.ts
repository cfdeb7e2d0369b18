/**
 * The local stack's settings, from the environment (DMBS_PORT, DMBS_S3_PORT, DMBS_DYNAMODB_PORT,
 * DMBS_DATA_DIR, DMBS_CONCURRENCY, DMBS_TAPE_MEMORY_MB, DMBS_MAX_QUEUED) with their defaults, and the file layout of the data
 * directory. A bad value is one sentence naming the variable. No I/O.
 */
import { resolve, join } from 'node:path';

export interface LocalConfig {
  /** API and web page (default 3000; 0: a free port). */
  readonly apiPort: number;
  /** S3 emulator (default 4568). */
  readonly s3Port: number;
  /** DynamoDB emulator (default 4567). */
  readonly dynamoDbPort: number;
  /** Everything that persists (default `.dmbs/` in the current directory), absolute. */
  readonly dataDir: string;
  /** Tapes processed at once (default 4; fewer when the heap cannot hold that many tapes' memory budget). */
  readonly concurrency: number;
  /** Memory one tape may take, in MB (default 256): bounds an XLSX's shared strings and, with the heap size, the concurrency. */
  readonly tapeMemoryMb: number;
  /** New uploads waiting in memory (default 1,000); the rest wait in the version inbox on disk. */
  readonly maxQueued: number;
}

export const LOCAL_DEFAULTS = { apiPort: 3000, s3Port: 4568, dynamoDbPort: 4567, dataDir: '.dmbs', concurrency: 4, tapeMemoryMb: 256, maxQueued: 1000 } as const;

/** The tapes bucket of the local stack (the stack in AWS names its own). */
export const LOCAL_BUCKET = 'dmbs-tapes';

/** Where things live under the data directory. */
export function dataPaths(dataDir: string) {
  return {
    /** s3rver's objects (its own layout). */
    s3: join(dataDir, 's3'),
    /** Object versions: immutable snapshots and their metadata (s3-versioning.ts). */
    s3Versions: join(dataDir, 's3-versions'),
    /** dynalite's LevelDB. */
    dynamoDb: join(dataDir, 'dynamodb'),
    keys: join(dataDir, 'keys.json'),
    /** Shell variables for the stack (endpoints, keys made at a start): `source .dmbs/env`. */
    env: join(dataDir, 'env'),
    /** Marks of the tapes being processed (attempts.ts). */
    attempts: join(dataDir, 'attempts'),
    events: join(dataDir, 'events.ndjson'),
    /** The market view's copy of the bucket's analytics/loans/ that DuckDB reads (duckdb-engine.ts); rebuilt from S3 at will. */
    analyticsCache: join(dataDir, 'analytics-cache'),
  } as const;
}

/** Thrown for a setting that cannot be used (printed as one line by main.ts). */
export class LocalConfigError extends Error {
  override readonly name = 'LocalConfigError';
}

/** @example localConfigFromEnv({ DMBS_PORT: '3100' }).apiPort // 3100 */
export function localConfigFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): LocalConfig {
  return {
    apiPort: port(env, 'DMBS_PORT', LOCAL_DEFAULTS.apiPort),
    s3Port: port(env, 'DMBS_S3_PORT', LOCAL_DEFAULTS.s3Port),
    dynamoDbPort: port(env, 'DMBS_DYNAMODB_PORT', LOCAL_DEFAULTS.dynamoDbPort),
    dataDir: resolve(cwd, env.DMBS_DATA_DIR || LOCAL_DEFAULTS.dataDir),
    concurrency: whole(env, 'DMBS_CONCURRENCY', LOCAL_DEFAULTS.concurrency, 1, 64),
    tapeMemoryMb: whole(env, 'DMBS_TAPE_MEMORY_MB', LOCAL_DEFAULTS.tapeMemoryMb, 32, 65_536),
    maxQueued: whole(env, 'DMBS_MAX_QUEUED', LOCAL_DEFAULTS.maxQueued, 1, 1_000_000),
  };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return whole(env, name, fallback, 0, 65_535);
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new LocalConfigError(`${name}=${raw.slice(0, 40)} is not usable; give a whole number from ${min} to ${max} (default ${fallback})`);
  }
  return Number(raw);
}
