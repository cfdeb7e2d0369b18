/**
 * The local stack's EventPublisher: `TapeScored` / `TapeFailed` (and the API's `DmbxSeriesCreated`) appended as one JSON line each
 * to `${DMBS_DATA_DIR}/events.ndjson` (what EventBridge carries in AWS: source, detail-type,
 * detail), so that an onboarding integration can be tried against a laptop with `tail -f`.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { EVENT_SOURCE } from '../aws/event-publisher.ts';
import type { BusEvent, BusEventPublisher, EventPublisher, PipelineEvent } from '../pipeline/ports.ts';

/** @example const events = new EventLogPublisher('.dmbs/events.ndjson'); */
export class EventLogPublisher implements EventPublisher, BusEventPublisher {
  readonly path: string;
  /** The latest pipeline events, newest last (at most `keep`). */
  readonly recent: PipelineEvent[] = [];
  readonly #keep: number;
  #dirReady: Promise<unknown> | undefined;

  constructor(path: string, options: { keep?: number } = {}) {
    this.path = path;
    this.#keep = options.keep ?? 1000;
  }

  async publish(event: BusEvent): Promise<void> {
    this.#dirReady ??= mkdir(dirname(this.path), { recursive: true });
    await this.#dirReady;
    const line = { time: new Date().toISOString(), source: EVENT_SOURCE, 'detail-type': event.type, detail: event.detail };
    // One appendFile per line: a line is written whole (O_APPEND), so concurrent runs never interleave.
    await appendFile(this.path, `${JSON.stringify(line)}\n`);
    if (event.type !== 'DmbxSeriesCreated') this.recent.push(event);
    if (this.recent.length > this.#keep) this.recent.splice(0, this.recent.length - this.#keep);
  }
}
