/**
 * The stress lens over the API. POST /v1/tapes/{tapeId}/stress (what-if): the tape's `stress`
 * section under another model — the body, merged over the model the tape was evaluated with —
 * computed from the sums the evaluate step stored (the aggregate holds them per haircut flags and
 * market, whatever the model), so neither the tape nor its loans are read again. Reviewers,
 * onboarding and the tape's own issuer (another issuer's tape is a 404, as everywhere).
 * GET/PUT /v1/deals/{dealId}/stress: the deal's stress file, `stress/{issuerId}/{dealId}.json`,
 * which the pipeline applies to the deal's next tapes and re-scores.
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isDmbsError } from '../../core/errors.ts';
import type { PoolAccumulatorState } from '../../core/evaluation/pool-accumulator.ts';
import { deepMerge } from '../../core/schema/config-document.ts';
import { loadStressModel, StressAggregate, type StressModel } from '../../core/stress/index.ts';
import { artifactKeys, dealStressKey } from '../../pipeline/state.ts';
import { dealFor, jsonBody, readArtifact, requireScored, tapeFor, type AppContext, type AppEnv } from '../context.ts';
import { DEFAULT_MAX_BODY_BYTES, type ApiDeps, type DealFileStore } from '../ports.ts';
import { ApiProblem, problemResponse } from '../problem.ts';

const EXAMPLE = '{ "capRate": { "base": 0.095 }, "ncfHaircut": { "base": 0.2 } }';

/** A stress model from a request body (over `base`, a model document); a bad one is a 400 naming the JSON path. */
function modelOfBody(body: unknown, base?: unknown): StressModel {
  try {
    loadStressModel(body, 'body'); // the body alone first: its own paths in the message
    return base === undefined ? loadStressModel(body, 'body') : loadStressModel(deepMerge(base, body), 'body');
  } catch (e) {
    if (isDmbsError(e)) throw new ApiProblem('STRESS_MODEL_INVALID', `${e.message}. See schemas/stress-model.schema.json.`, { errors: [{ location: 'body', message: e.message }] });
    throw e;
  }
}

export function stressRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  const maxBody = deps.options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const limit = bodyLimit({
    maxSize: maxBody,
    onError: (c) => problemResponse('BODY_TOO_LARGE', `The request body is larger than ${maxBody} bytes; a stress model is a few parameters and tranches.`, c.req.path),
  });

  app.post('/v1/tapes/:tapeId/stress', limit, async (c) => {
    const tape = requireScored(await tapeFor(c, deps, c.req.param('tapeId')));
    const body = await jsonBody(c, EXAMPLE);
    const keys = artifactKeys(tape.tapeId, tape.revision ?? 1);
    const [stored, pool] = await Promise.all([
      deps.artifacts.getJson<unknown>(keys.stress).catch((e: unknown) => {
        if (isDmbsError(e) && e.code === 'OBJECT_NOT_FOUND') return undefined; // evaluated before the stress lens: the defaults
        throw e;
      }),
      readArtifact(tape.tapeId, 'pool aggregate', () => deps.artifacts.getJson<PoolAccumulatorState>(keys.aggregate)),
    ]);
    if ((pool as { version?: string }).version === 'dmbs-compute-pool/1') {
      throw new ApiProblem('STRESS_NOT_EVALUATED', `Tape ${tape.tapeId} is a compute tape; the stress lens is the loan tape's (docs/compute-tape.md).`);
    }
    if (!pool.stress) {
      throw new ApiProblem('STRESS_NOT_EVALUATED', `Tape ${tape.tapeId} was scored before the stress lens; re-score it (POST /v1/tapes/${tape.tapeId}/rescore) to get its stress figures.`);
    }
    const model = modelOfBody(body, stored ?? loadStressModel().document);
    return c.json(StressAggregate.fromJSON(pool.stress, model).section());
  });

  app.get('/v1/deals/:dealId/stress', async (c) => {
    const deal = await dealFor(c, deps, c.req.param('dealId'));
    const key = dealStressKey(deal);
    try {
      return c.json(await storeOf(deps).getJson<unknown>(key));
    } catch (e) {
      if (isDmbsError(e) && e.code === 'OBJECT_NOT_FOUND') {
        throw new ApiProblem('STRESS_MODEL_NOT_FOUND', `Deal ${deal.dealId} has no stress file: its tapes get the default model (schemas/stress-model.json). A reviewer or onboarding key adds one with PUT /v1/deals/${deal.dealId}/stress.`);
      }
      throw e;
    }
  });

  app.put('/v1/deals/:dealId/stress', limit, async (c) => {
    const principal = requireAnalyst(c);
    const deal = await dealFor(c, deps, c.req.param('dealId'));
    const body = await jsonBody(c, EXAMPLE);
    modelOfBody(body);
    const key = dealStressKey(deal);
    await storeOf(deps).putJson(key, body);
    deps.log?.('info', 'stress model stored', { issuerId: deal.issuerId, dealId: deal.dealId, key, subject: principal });
    return c.json(body);
  });
}

/** A deal's stress file is the reviewers' lens on it: reviewer and onboarding keys write it; an issuer reads its own deal's. */
function requireAnalyst(c: AppContext): string {
  const principal = c.get('principal');
  if (principal.role === 'issuer') throw new ApiProblem('ROLE_FORBIDDEN', 'Only reviewer and onboarding keys write a deal\'s stress model; an issuer key may read its own deal\'s (GET) and try models on a tape (POST /v1/tapes/{tapeId}/stress).');
  return principal.subject;
}

function storeOf(deps: ApiDeps): DealFileStore {
  if (!deps.stressModels) throw new ApiProblem('STRESS_MODELS_UNAVAILABLE', 'This deployment stores no deal stress models.');
  return deps.stressModels;
}
