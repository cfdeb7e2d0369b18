/**
 * The one adapter from s3rver's notifications to the pipeline's TapeObject. s3rver sends the
 * standard S3 record shape, but keys are not URL-encoded, multipart uploads report
 * `ObjectCreated:Post`, and there is no prefix filtering: every object written to the bucket,
 * the pipeline's own artifacts included, is announced. No I/O.
 */
import { fromS3Notification, type S3NotificationRecord } from '../aws/object-created.ts';
import { CRITERIA_PREFIX, CURVE_PREFIX, MAPPING_PREFIX, REPORTS_PREFIX, RESCORES_PREFIX, STRESS_PREFIX, WATCHLIST_PREFIX, type TapeObject } from '../pipeline/state.ts';
import { ANALYTICS_ROOT } from '../pipeline/loan-parquet.ts';

/**
 * The uploads these records announce (every `ObjectCreated:*`, PUT, POST, copy and multipart
 * alike), leaving out the artifacts the pipeline writes under `reports/` and `rescores/` (re-score jobs'
 * tape lists) and the deals' criteria and column-mapping files under `criteria/` and `mapping/`. Every other key is
 * kept, tape key or not: the pipeline records a bad key as FAILED with the reason, so an upload
 * to a wrong place is never dropped silently.
 * @example tapeObjectsFromS3rver(event.Records) // [{ bucket: 'dmbs-tapes', key: 'incoming/demo/deal-1/tape.csv', versionId, eTag, size, ... }]
 */
export function tapeObjectsFromS3rver(records: readonly S3NotificationRecord[]): TapeObject[] {
  return fromS3Notification(records, { urlEncodedKeys: false }).filter((o) => isUploadKey(o.key));
}

/** True for a key the runner takes as an upload (not the pipeline's artifacts, analytics or re-score lists, nor a deal's settings file). */
export function isUploadKey(key: string): boolean {
  return ![REPORTS_PREFIX, RESCORES_PREFIX, ANALYTICS_ROOT, CRITERIA_PREFIX, MAPPING_PREFIX, STRESS_PREFIX, WATCHLIST_PREFIX, CURVE_PREFIX].some((prefix) => key.startsWith(prefix));
}
