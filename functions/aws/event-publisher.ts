/**
 * The EventPublisher port over EventBridge: `TapeScored` / `TapeFailed` / `LoansWatchlisted` (and
 * the API's `DmbxSeriesCreated`) on the pipeline's bus, source `dmbs.pipeline`, detail schemas in
 * schemas/tape-scored.v1, tape-failed.v1, loans-watchlisted.v1 and dmbx-series-created.v1.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { BusEvent, BusEventPublisher, EventPublisher, PipelineEvent } from '../pipeline/ports.ts';

/** The `source` of every event the pipeline emits (rules match on it). */
export const EVENT_SOURCE = 'dmbs.pipeline';

/**
 * @example
 * await new EventBridgePublisher({ client: clients.eventBridge, busName: 'dmbs-events' }).publish({ type: 'TapeScored', detail });
 */
export class EventBridgePublisher implements EventPublisher, BusEventPublisher {
  readonly #client: EventBridgeClient;
  readonly #busName: string;

  constructor(options: { client: EventBridgeClient; busName: string }) {
    this.#client = options.client;
    this.#busName = options.busName;
  }

  async publish(event: BusEvent): Promise<void> {
    const out = await this.#client.send(new PutEventsCommand({
      Entries: [{ EventBusName: this.#busName, Source: EVENT_SOURCE, DetailType: event.type, Detail: JSON.stringify(event.detail), Resources: [] }],
    }));
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.[0];
      // PutEvents reports per-entry failures in a 200 answer: make them an error so the step retries.
      const about = 'tapeId' in event.detail ? `tape ${event.detail.tapeId}` : `series ${event.detail.name}`;
      throw new Error(`EventBridge rejected ${event.type} for ${about}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
    }
  }
}

/** Keeps events in memory (tests, and the local stack when no bus is configured). */
export class MemoryEventPublisher implements EventPublisher {
  readonly events: PipelineEvent[] = [];
  async publish(event: PipelineEvent): Promise<void> {
    this.events.push(event);
  }
}
