/**
 * The Hono environment of the app (what middleware puts on the context) and the small helpers
 * routes share: query parameters, access to deals and tapes with 404-not-403 for other issuers,
 * streaming bodies. No routes here.
 */
import type { Context } from 'hono';
import type { DealRecord, Page, TapeRecord } from '../pipeline/result-records.ts';
import { isTapeId } from '../pipeline/tape-id.ts';
import { decodePageToken, encodePageToken } from './page-token.ts';
import type { ApiDeps } from './ports.ts';
import { canSeeIssuer, type Principal } from './principal.ts';
import { ApiProblem } from './problem.ts';
import { progressOf } from './views.ts';

export interface AppEnv {
  /** Lambda: the API Gateway event (hono/aws-lambda); node: the incoming message. */
  Bindings: { event?: unknown };
  Variables: { principal: Principal; requestId: string };
}

export type AppContext = Context<AppEnv>;

/** The request's JSON body: 415 unless sent as application/json, 400 when it does not parse. `example` is the body to show. */
export async function jsonBody(c: AppContext, example: string): Promise<unknown> {
  if (!/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiProblem('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json: ${example}.`);
  }
  try {
    return await c.req.json();
  } catch {
    throw new ApiProblem('INVALID_BODY', `The body is not valid JSON; send ${example}.`);
  }
}

/** An integer query parameter within bounds, or its default. */
export function intQuery(c: AppContext, name: string, bounds: { min: number; max: number; default?: number }): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return bounds.default;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < bounds.min || Number(raw) > bounds.max) {
    throw new ApiProblem('INVALID_PARAMETER', `${name} must be a whole number from ${bounds.min} to ${bounds.max}; got '${raw.slice(0, 40)}'.`, {
      errors: [{ location: `query.${name}`, message: `integer ${bounds.min}..${bounds.max}` }],
    });
  }
  return Number(raw);
}

/** A query parameter that must be one of `values`, or undefined. */
export function enumQuery<T extends string>(c: AppContext, name: string, values: readonly T[]): T | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ApiProblem('INVALID_PARAMETER', `${name} must be one of ${values.join(', ')}; got '${raw.slice(0, 40)}'.`, {
      errors: [{ location: `query.${name}`, message: `one of ${values.join(', ')}` }],
    });
  }
  return raw as T;
}

/** Runs a store query with the client's page token, and wraps the store's cursor again. */
export async function paged<T>(
  c: AppContext, scope: string, limit: number,
  query: (page: { limit: number; cursor?: string }) => Promise<Page<T>>,
): Promise<{ items: T[]; nextToken: string | null }> {
  const token = c.req.query('nextToken');
  const cursor = token ? decodePageToken<string>(token, scope, 'string') : undefined;
  let page: Page<T>;
  try {
    page = await query({ limit, ...(cursor ? { cursor } : {}) });
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (cursor && (e instanceof RangeError || name === 'ValidationException')) {
      throw new ApiProblem('INVALID_NEXT_TOKEN', 'nextToken is not one this list returned; start again without it.', { cause: e });
    }
    throw e;
  }
  return { items: page.items, nextToken: page.cursor ? encodePageToken(scope, page.cursor) : null };
}

const NOT_FOUND_DEAL = (dealId: string) => new ApiProblem('DEAL_NOT_FOUND', `No deal '${dealId.slice(0, 64)}' that you may see. Check the id in GET /v1/deals.`);

/**
 * The deal a request names, if the caller may see it. Issuers: their own deal (another issuer's
 * answers 404 exactly as a missing one). Reviewers/onboarding: `?issuerId=`, else the one issuer
 * using that deal id (409 DEAL_AMBIGUOUS when several do).
 */
export async function dealFor(c: AppContext, deps: ApiDeps, dealId: string, issuerId: string | undefined = c.req.query('issuerId')): Promise<DealRecord> {
  const principal = c.get('principal');
  if (principal.role === 'issuer') {
    if (issuerId !== undefined && issuerId !== principal.issuerId) throw NOT_FOUND_DEAL(dealId);
    const deal = await deps.results.getDeal(principal.issuerId, dealId);
    if (!deal) throw NOT_FOUND_DEAL(dealId);
    return deal;
  }
  if (issuerId) {
    const deal = await deps.results.getDeal(issuerId, dealId);
    if (!deal) throw NOT_FOUND_DEAL(dealId);
    return deal;
  }
  const matches: DealRecord[] = [];
  const maxScan = deps.options?.maxDealScan ?? 10_000;
  let scanned = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.results.listDeals({ limit: 1000, ...(cursor ? { cursor } : {}) });
    scanned += page.items.length;
    matches.push(...page.items.filter((d) => d.dealId === dealId));
    cursor = page.cursor;
  } while (cursor && scanned < maxScan);
  if (matches.length === 0) throw NOT_FOUND_DEAL(dealId);
  if (matches.length > 1) {
    const ids = matches.map((d) => d.issuerId).sort();
    throw new ApiProblem('DEAL_AMBIGUOUS', `Deal id '${dealId}' is used by issuers ${ids.join(', ')}; add ?issuerId= with one of them.`);
  }
  return matches[0]!;
}

/** A tape the caller may see: 404 for a malformed id, a missing tape and another issuer's tape alike. */
export async function tapeFor(c: AppContext, deps: ApiDeps, tapeId: string): Promise<TapeRecord> {
  const notFound = new ApiProblem('TAPE_NOT_FOUND', `No tape '${tapeId.slice(0, 64)}' that you may see. Tape ids come from GET /v1/deals/{dealId}/tapes.`);
  if (!isTapeId(tapeId)) throw notFound;
  const tape = await deps.results.getTape(tapeId);
  if (!tape || !canSeeIssuer(c.get('principal'), tape.issuerId)) throw notFound;
  return tape;
}

export type ScoredTape = TapeRecord & { readonly artifacts: NonNullable<TapeRecord['artifacts']>; readonly summary: NonNullable<TapeRecord['summary']> };

/** The tape's results exist (status SCORED), else 409 saying where it is and what to do. */
export function requireScored(tape: TapeRecord): ScoredTape {
  if (tape.status === 'SCORED' && tape.artifacts && tape.summary) return tape as ScoredTape;
  let detail: string;
  if (tape.status === 'FAILED') detail = `Tape ${tape.tapeId} FAILED and has no results: ${tape.failure?.message ?? 'see GET /v1/tapes/' + tape.tapeId}. Upload a corrected file.`;
  else if (tape.status === 'DUPLICATE') detail = `Tape ${tape.tapeId} has the same content as tape ${tape.duplicateOf ?? '(earlier)'}; read that tape's results.`;
  else {
    const p = progressOf(tape.status);
    detail = `Tape ${tape.tapeId} is ${tape.status} (step ${p.stepNumber} of ${p.stepCount}); results appear when it is SCORED. Poll GET /v1/tapes/${tape.tapeId}.`;
  }
  throw new ApiProblem('TAPE_NOT_SCORED', detail);
}

/**
 * Where a tape's report and findings are: a SCORED tape's, or the validation report and findings a
 * FAILED NO_VALID_LOANS tape keeps (its report is the tape and validation sections); else as
 * requireScored (409).
 */
export function requireFindings(tape: TapeRecord): { readonly tapeId: string; readonly artifacts: { readonly report: string; readonly findings: string } } {
  if (tape.status === 'FAILED' && tape.failure?.artifacts) return { tapeId: tape.tapeId, artifacts: tape.failure.artifacts };
  return requireScored(tape);
}

/** Maps "the stored object is gone" from the artifact store to ARTIFACT_MISSING. */
export async function readArtifact<T>(tapeId: string, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if ((e as { code?: string }).code === 'OBJECT_NOT_FOUND') {
      throw new ApiProblem('ARTIFACT_MISSING', `The stored ${what} of tape ${tapeId} is missing. Upload the tape again to rebuild it.`, { cause: e });
    }
    throw e;
  }
}

/**
 * A streamed body from an async iterator whose first element was already read (so that a
 * failure to open the source still answers a problem document). Text is batched into chunks of
 * about 64 KiB; backpressure comes from `pull`.
 */
export function streamBody(first: IteratorResult<string | Uint8Array>, rest: AsyncIterator<string | Uint8Array>, onError: (e: unknown) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: IteratorResult<string | Uint8Array> | undefined = first;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const parts: Uint8Array[] = [];
        let size = 0;
        while (size < 65_536) {
          const next = pending ?? (await rest.next());
          pending = undefined;
          if (next.done) break;
          const bytes = typeof next.value === 'string' ? encoder.encode(next.value) : next.value;
          parts.push(bytes);
          size += bytes.length;
        }
        if (parts.length > 0) controller.enqueue(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
        if (size < 65_536) controller.close();
      } catch (e) {
        onError(e);
        controller.error(e);
      }
    },
    async cancel() {
      await rest.return?.();
    },
  }, { highWaterMark: 1 });
}
