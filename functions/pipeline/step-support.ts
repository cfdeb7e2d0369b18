/**
 * What several pipeline steps share: the state a step after validate needs, a deal's settings file
 * read over its defaults, a gzip text artifact written line by line, and the score step's summary
 * of a report's sections (any kind's). Each step imports these from here, never from another step.
 */
import { ConfigError, isDmbsError } from '../core/errors.ts';
import type { PipelinePorts } from './ports.ts';
import type { PipelineState } from './state.ts';

/** The state after validate, or a clear internal error when a step is called out of order. */
export function requireValidated(state: PipelineState): { tapeId: string; tape: NonNullable<PipelineState['tape']>; validation: NonNullable<PipelineState['validation']> } {
  if (!state.tapeId || !state.tape || !state.validation) {
    throw new Error(`step called before validate finished (tapeId ${state.tapeId ?? 'missing'}): the state machine or runner is wired wrongly`);
  }
  return { tapeId: state.tapeId, tape: state.tape, validation: state.validation };
}

/** A deal's own JSON file in the tapes bucket merged over the defaults, or the defaults when it has none. */
export async function dealFile<T>(
  key: string, ports: Pick<PipelinePorts, 'store'>, load: (doc?: unknown, source?: string) => T,
  code: 'CRITERIA_INVALID' | 'STRESS_MODEL_INVALID' | 'WATCHLIST_CRITERIA_INVALID' | 'RESIDUAL_CURVE_INVALID', what: string,
): Promise<T> {
  let doc: unknown;
  try {
    doc = await ports.store.getJson<unknown>(key);
  } catch (e) {
    if (isDmbsError(e) && e.code === 'OBJECT_NOT_FOUND') return load();
    if (e instanceof SyntaxError) throw new ConfigError(code, `${key}: is not valid JSON (${e.message}); fix the ${what} and upload the tape again`);
    throw e;
  }
  return load(doc, key);
}

/** Writes `lines` as a gzip text artifact, one per line (tab-separated values). */
export async function writeLines(ports: PipelinePorts, key: string, lines: Iterable<string>): Promise<void> {
  const out = ports.store.createWriter(key, { contentType: 'text/tab-separated-values', gzip: true });
  try {
    for (const line of lines) {
      out.write(`${line}\n`);
      if (out.needsDrain) await out.ready();
    }
    await out.end();
  } catch (e) {
    await out.abort();
    throw e;
  }
}

/** The score step's summary of a report's sections (any kind's: eligibility, score and tests). */
export function scoreOutcome(sections: {
  eligibility: { eligibleBalance: string }; score: { points: string; band: string }; concentrations: ReadonlyArray<{ id: string; pass: boolean }>;
}): NonNullable<PipelineState['score']> {
  return {
    eligibleBalance: sections.eligibility.eligibleBalance,
    points: sections.score.points,
    band: sections.score.band,
    failedTests: sections.concentrations.filter((t) => !t.pass).map((t) => t.id),
  };
}
