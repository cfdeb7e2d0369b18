/**
 * A DUPLICATE points at its original ("its results apply"). When the original later ends FAILED
 * there are no results to apply, so the duplicate is failed with it: by the original's failure
 * handler when the duplicate was marked first, by the duplicate's own run when the original
 * failed in between. Each way, one FAILED duplicate with a reason naming the original, one
 * TapeFailed event for it. Real SDK clients against the embedded emulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { failStep } from '../../functions/pipeline/fail-step.ts';
import type { PipelinePorts } from '../../functions/pipeline/ports.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import type { PipelineState } from '../../functions/pipeline/state.ts';
import { validateStep } from '../../functions/pipeline/validate-step.ts';
import { startEmbeddedAws, type EmbeddedAws } from './support/embedded-aws.ts';

let aws: EmbeddedAws;
beforeAll(async () => { aws = await startEmbeddedAws(); });
afterAll(async () => { await aws?.stop(); });

const internal = { Error: 'InternalServerError', Cause: JSON.stringify({ errorMessage: 'injected' }) };
const bytes = (seed: number) => toCsv(generateTape({ rows: 30, seed, dealId: `deal-dup-${seed}` }).rows);

/** The original validated (its bytes claimed), not yet further. */
async function validatedOriginal(seed: number): Promise<PipelineState> {
  const state = await validateStep({ object: await aws.upload(`incoming/dups/deal-dup-${seed}/original.csv`, bytes(seed)), runId: `original-${seed}` }, aws.ports);
  expect(state.stop).toBeUndefined();
  return state;
}

const failedEventsOf = (tapeId: string) => aws.events.events.filter((e) => e.type === 'TapeFailed' && e.detail.tapeId === tapeId);

describe('a duplicate whose original fails', () => {
  it('is failed by the original\'s failure handler, with a reason naming the original', async () => {
    const original = await validatedOriginal(1);
    const copy = await runPipeline(await aws.upload('incoming/dups/deal-dup-1/copy.csv', bytes(1)), aws.ports, { runId: 'copy-1', sleep: async () => {} });
    expect(copy.outcome).toBe('stopped');
    const copyId = copy.state.tapeId!;
    expect(await aws.results.getTape(copyId)).toMatchObject({ status: 'DUPLICATE', duplicateOf: original.tapeId });

    const failed = await failStep({ ...original, error: internal }, aws.ports);
    expect(failed.outcome).toBe('failed');
    const dup = await aws.results.getTape(copyId);
    expect(dup).toMatchObject({ status: 'FAILED', duplicateOf: original.tapeId, failure: { code: 'INTERNAL', userError: false } });
    expect(dup!.failure!.message).toContain(`same bytes as tape ${original.tapeId}`);
    expect(dup!.summary).toBeUndefined();
    expect(failedEventsOf(copyId)).toHaveLength(1);
    // A retried failure handler fails nobody twice.
    await failStep({ ...original, error: internal }, aws.ports);
    expect(failedEventsOf(copyId)).toHaveLength(1);
  });

  it('fails itself when the original failed between being found live and the duplicate being marked', async () => {
    const original = await validatedOriginal(2);
    const ports: PipelinePorts = {
      ...aws.ports,
      results: new Proxy(aws.ports.results, {
        get(target, name) {
          if (name === 'markDuplicate') {
            return async (...args: Parameters<PipelinePorts['results']['markDuplicate']>) => {
              await failStep({ ...original, error: internal }, aws.ports); // the original fails right now
              return target.markDuplicate(...args);
            };
          }
          const value = Reflect.get(target, name, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }),
    };
    const copy = await runPipeline(await aws.upload('incoming/dups/deal-dup-2/copy.csv', bytes(2)), ports, { runId: 'copy-2', sleep: async () => {} });
    const copyId = copy.state.tapeId!;
    expect((await aws.results.getTape(original.tapeId!))?.status).toBe('FAILED');
    expect(await aws.results.getTape(copyId)).toMatchObject({ status: 'FAILED', duplicateOf: original.tapeId, failure: { code: 'INTERNAL' } });
    expect(failedEventsOf(copyId)).toHaveLength(1);
  });

  it('leaves the duplicates of a SCORED original alone', async () => {
    const original = await runPipeline(await aws.upload('incoming/dups/deal-dup-3/original.csv', bytes(3)), aws.ports, { runId: 'original-3', sleep: async () => {} });
    expect(original.outcome).toBe('scored');
    const copy = await runPipeline(await aws.upload('incoming/dups/deal-dup-3/copy.csv', bytes(3)), aws.ports, { runId: 'copy-3', sleep: async () => {} });
    expect(await aws.ports.results.failDuplicatesOf(original.state.tapeId!, new Date().toISOString())).toEqual([]);
    expect((await aws.results.getTape(copy.state.tapeId!))?.status).toBe('DUPLICATE');
  });
});
