/**
 * Lambda entry point of the event outbox sweep (functions/pipeline/event-outbox.ts), meant for a
 * schedule (e.g. an EventBridge Scheduler rule every 5 minutes): publishes the `TapeScored`
 * events that SCORED tapes still owe because the bus refused them through every retry. Needs
 * read-write on the results table and PutEvents on the bus.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { sweepEventOutbox, type SweepResult } from '../pipeline/event-outbox.ts';
import { logger, metrics, pipelinePorts } from './runtime.ts';

export async function handler(_event: unknown, context?: Context): Promise<SweepResult> {
  if (context) logger.addContext(context);
  try {
    const result = await sweepEventOutbox(pipelinePorts());
    metrics.addMetric('EventsPublishedLate', MetricUnit.Count, result.published);
    if (result.error) logger.warn('outbox sweep stopped: the bus still refuses events', { ...result });
    else logger.info('outbox sweep done', { ...result });
    return result;
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}
