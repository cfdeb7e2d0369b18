/* eslint-disable */
// GENERATED from schemas/tape-failed.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * Detail of the EventBridge event `TapeFailed` (source `dmbs.pipeline`): a tape could not be scored. `reason` is written for a person and says what to do; nothing of the tape's results is visible. Consumers must be idempotent on `tapeId` (delivery is at-least-once).
 */
export interface TapeFailedDetail {
  schemaVersion: "dmbs-tape-failed/1";
  tapeId: string;
  /**
   * Null when the object key is not of the form incoming/{issuerId}/{dealId}/{fileName}.
   */
  issuerId: string | null;
  dealId: string | null;
  fileName: string | null;
  object: {
    bucket: string;
    key: string;
    versionId: string | null;
  };
  /**
   * A DmbsError code (TAPE_EMPTY, OBJECT_KEY_INVALID, ...) when the input is at fault; INTERNAL, TIMEOUT or OUT_OF_MEMORY for the pipeline's own failures.
   */
  code: string;
  /**
   * What went wrong and what to do, for a person.
   */
  reason: string;
  /**
   * True when the uploader can fix it by changing the file or its key.
   */
  userError: boolean;
  failedAt: string;
}
