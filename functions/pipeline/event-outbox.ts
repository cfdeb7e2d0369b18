/**
 * No lost events: a tape's `TapeScored` (or `TapeFailed`) is written into the tape's outbox by the
 * same final write that makes it SCORED (FAILED), and cleared once published. If the publish step cannot get the event out
 * (the bus is down through every retry), the tape stays SCORED with the event in its outbox, and
 * this sweep publishes it later: the local stack at start and periodically, AWS from a scheduled
 * handler (functions/handlers/sweep-events.ts). Delivery stays at least once (consumers are
 * idempotent on tapeId); the grace period keeps the sweep off events a live run is still sending.
 */
import type { PipelineEvent, PipelinePorts } from './ports.ts';

/**
 * How old an outbox entry must be before the sweep takes it: longer than a publish step with all
 * its retries (60 s time-out × 4 attempts + 14 s of waits), so the sweep does not send an event
 * a live run is about to send.
 */
export const OUTBOX_GRACE_SECONDS = 300;

export interface SweepResult {
  /** Events published by this sweep. */
  readonly published: number;
  /** Set when publishing failed: the rest stay in the outbox for the next sweep. */
  readonly error?: string;
}

/**
 * Publishes every outbox event of tapes scored more than `graceSeconds` ago, oldest first, and
 * clears each after its publish. Stops at the first failure (the bus is still down).
 * @example await sweepEventOutbox(ports); // from a schedule, every few minutes
 */
export async function sweepEventOutbox(ports: Pick<PipelinePorts, 'results' | 'events' | 'now' | 'log'>, options: { graceSeconds?: number } = {}): Promise<SweepResult> {
  const before = new Date((ports.now?.() ?? new Date()).getTime() - (options.graceSeconds ?? OUTBOX_GRACE_SECONDS) * 1000).toISOString();
  let published = 0;
  // The outbox index may show a cleared entry for a moment (GSIs are eventually consistent): never send one twice per sweep.
  const done = new Set<string>();
  for (;;) {
    const pending = (await ports.results.pendingEvents({ scoredBefore: before, limit: 100 })).filter((p) => !done.has(p.tapeId));
    if (pending.length === 0) return { published };
    // A tape's events come together, in order (TapeScored, then LoansWatchlisted): all out, then cleared.
    const byTape = new Map<string, PipelineEvent[]>();
    for (const { tapeId, event } of pending) byTape.set(tapeId, [...(byTape.get(tapeId) ?? []), event]);
    for (const [tapeId, events] of byTape) {
      done.add(tapeId);
      try {
        for (const event of events) await ports.events.publish(event);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        ports.log?.('warn', 'outbox sweep: event still cannot be published; kept for the next sweep', { tapeId, error });
        return { published, error };
      }
      await ports.results.eventPublished(tapeId, events.some((e) => e.type === 'TapeFailed') ? 'FAILED' : 'SCORED');
      published += events.length;
      ports.log?.('info', 'outbox sweep: event published late', { tapeId, types: events.map((e) => e.type) });
    }
  }
}
