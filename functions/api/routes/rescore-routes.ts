/**
 * Re-score routes (reviewers and onboarding only): re-score one tape, re-score every deal's (or
 * one deal's) latest scored tape as a job, and a job's progress. Thin: access checks, the body,
 * and the RescoreService port; the work is the pipeline's (functions/pipeline/rescore-steps.ts).
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createAjv } from '../../core/schema/ajv.ts';
import { RESCORE_LEASE_MS } from '../../pipeline/rescore-steps.ts';
import apiSchema from '../../../schemas/dmbs-api.v1.schema.json' with { type: 'json' };
import { dealFor, jsonBody, requireScored, tapeFor, type AppContext, type AppEnv } from '../context.ts';
import type { RescoreRequest } from '../generated/api.ts';
import { DEFAULT_MAX_BODY_BYTES, type ApiDeps, type RescoreService } from '../ports.ts';
import { ApiProblem, problemResponse } from '../problem.ts';
import { toRescoreJob } from '../views.ts';

const ajv = createAjv({ allErrors: true });
ajv.addSchema(apiSchema);
const validateRescoreRequest = ajv.getSchema<RescoreRequest>(`${apiSchema.$id}#/$defs/RescoreRequest`)!;

/** Re-scores change results for everyone: reviewers and onboarding only; an issuer key is refused (403). */
function requireReviewer(c: AppContext): string {
  const principal = c.get('principal');
  if (principal.role === 'issuer') {
    throw new ApiProblem('ROLE_FORBIDDEN', 'Only reviewer and onboarding keys re-score tapes; an issuer uploads a new tape version instead.');
  }
  return principal.subject;
}

function service(deps: ApiDeps): RescoreService {
  if (!deps.rescores) throw new ApiProblem('RESCORE_UNAVAILABLE', 'This deployment does not run re-scores (no re-score workflow is configured).');
  return deps.rescores;
}

export function rescoreRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  const now = deps.now ?? (() => new Date());
  const limit = bodyLimit({
    maxSize: deps.options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    onError: (c) => problemResponse('BODY_TOO_LARGE', 'The request body is too large; send only { "all": true } or { "dealId": "..." }.', c.req.path),
  });

  app.post('/v1/tapes/:tapeId/rescore', async (c) => {
    const requestedBy = requireReviewer(c);
    const tape = requireScored(await tapeFor(c, deps, c.req.param('tapeId')));
    const held = tape.rescoring;
    // A fast answer for the common case; the claim itself is the workflow's conditional write.
    if (held && Date.parse(held.startedAt) > now().getTime() - RESCORE_LEASE_MS) {
      throw new ApiProblem('RESCORE_IN_PROGRESS', `Tape ${tape.tapeId} is already being re-scored (revision ${held.revision}, ${held.step} since ${held.startedAt}); poll GET /v1/tapes/${tape.tapeId}.`);
    }
    const job = await service(deps).start({ tapeId: tape.tapeId }, requestedBy);
    deps.log?.('info', 're-score requested', { jobId: job.jobId, tapeId: tape.tapeId, requestedBy });
    return c.json(toRescoreJob(job), 202, { location: `/v1/rescores/${job.jobId}` });
  });

  app.post('/v1/rescores', limit, async (c) => {
    const requestedBy = requireReviewer(c);
    const body = await jsonBody(c, '{ "all": true } or { "dealId": "deal-1" }');
    if (!validateRescoreRequest(body)) {
      const errors = (validateRescoreRequest.errors ?? []).map((e) => ({ location: `body${e.instancePath.replace(/\//g, '.')}`, message: e.message ?? 'invalid' }));
      throw new ApiProblem('INVALID_BODY', 'The body must be { "all": true } (every deal\'s latest scored tape) or { "dealId": "...", "issuerId"?: "..." } (one deal\'s).', { errors });
    }
    const request = body as RescoreRequest;
    let scope: { all: true } | { issuerId: string; dealId: string };
    if (request.dealId) {
      const deal = await dealFor(c, deps, request.dealId, request.issuerId);
      scope = { issuerId: deal.issuerId, dealId: deal.dealId };
    } else scope = { all: true };
    const job = await service(deps).start(scope, requestedBy);
    deps.log?.('info', 're-score job requested', { jobId: job.jobId, scope, requestedBy });
    return c.json(toRescoreJob(job), 202, { location: `/v1/rescores/${job.jobId}` });
  });

  app.get('/v1/rescores/:jobId', async (c) => {
    requireReviewer(c);
    const jobId = c.req.param('jobId');
    const job = /^[0-9a-f]{32}$/.test(jobId) ? await service(deps).get(jobId) : undefined;
    if (!job) throw new ApiProblem('RESCORE_JOB_NOT_FOUND', `No re-score job '${jobId.slice(0, 64)}'. Job ids come from POST /v1/rescores or POST /v1/tapes/{tapeId}/rescore.`);
    return c.json(toRescoreJob(job));
  });
}
