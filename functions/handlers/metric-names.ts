/**
 * The pipeline's own metrics (Powertools, CloudWatch embedded metric format), named once: the
 * handlers emit them and the stack alarms on them. Data only (the CDK app loads this file).
 */

/** Powertools' service name: the `service` dimension of every metric. */
export const SERVICE_NAME = 'dmbs-pipeline';
export const METRICS_NAMESPACE = 'DMBS';

/** Emitted by the failure handler for each tape it marks FAILED. */
export const TAPE_FAILURE_METRICS = {
  /** Internal failures (after retries): these page the operators. */
  internal: 'TapesFailed',
  /** The input is at fault (bad tape, bad key): the uploader is told; nobody is paged. */
  userError: 'TapesRejected',
} as const;
