/**
 * /v1/deals routes: list, one deal, its tapes (newest first), presigned uploads for issuers, and
 * the comparison of two tape versions. Thin: access checks and mapping only.
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { formatTapeKey, issuerPrefix, parseTapeKey } from '../../pipeline/tape-key.ts';
import { createAjv } from '../../core/schema/ajv.ts';
import apiSchema from '../../../schemas/dmbs-api.v1.schema.json' with { type: 'json' };
import { compareTapes } from '../compare.ts';
import { dealFor, intQuery, jsonBody, paged, readArtifact, requireScored, tapeFor, type AppEnv } from '../context.ts';
import type { DealPage, TapePage, UploadRequest, UploadTicket } from '../generated/api.ts';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_UPLOAD_URL_SECONDS, type ApiDeps } from '../ports.ts';
import { ApiProblem, problemResponse } from '../problem.ts';
import { toDeal, toTapeListItem } from '../views.ts';
import type { DealRecord } from '../../pipeline/result-records.ts';

const ajv = createAjv({ allErrors: true });
ajv.addSchema(apiSchema);
const validateUploadRequest = ajv.getSchema<UploadRequest>(`${apiSchema.$id}#/$defs/UploadRequest`)!;

export function dealRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  const now = deps.now ?? (() => new Date());
  const maxUpload = deps.options?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const urlSeconds = deps.options?.uploadUrlSeconds ?? DEFAULT_UPLOAD_URL_SECONDS;

  /** Each deal with its newest tape (one small query per deal, run together). */
  const withLatest = (deals: DealRecord[]) => Promise.all(deals.map(async (d) => {
    const latest = await deps.results.listTapesByDeal(d.issuerId, d.dealId, { limit: 1 });
    return toDeal(d, latest.items[0]);
  }));

  app.get('/v1/deals', async (c) => {
    const principal = c.get('principal');
    const limit = intQuery(c, 'limit', { min: 1, max: 100, default: 20 })!;
    const page = principal.role === 'issuer'
      ? await paged(c, `deals:issuer:${principal.issuerId}`, limit, (p) => deps.results.listDealsByIssuer(principal.issuerId, p))
      : await paged(c, 'deals:all', limit, (p) => deps.results.listDeals(p));
    const body: DealPage = { items: await withLatest(page.items), nextToken: page.nextToken };
    return c.json(body);
  });

  app.get('/v1/deals/:dealId', async (c) => {
    const deal = await dealFor(c, deps, c.req.param('dealId'));
    const [[item], declared] = await Promise.all([withLatest([deal]), deps.results.dealKind(deal)]);
    // The kind its tapes are read as, once its first tape with a valid row declared it.
    return c.json(declared ? { ...item, kind: declared.kind } : item);
  });

  app.get('/v1/deals/:dealId/tapes', async (c) => {
    const deal = await dealFor(c, deps, c.req.param('dealId'));
    const limit = intQuery(c, 'limit', { min: 1, max: 100, default: 20 })!;
    const page = await paged(c, `tapes:${deal.issuerId}/${deal.dealId}`, limit, (p) => deps.results.listTapesByDeal(deal.issuerId, deal.dealId, p));
    const body: TapePage = { items: page.items.map(toTapeListItem), nextToken: page.nextToken };
    return c.json(body);
  });

  app.post(
    '/v1/deals/:dealId/tapes',
    bodyLimit({
      maxSize: deps.options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      onError: (c) => problemResponse('BODY_TOO_LARGE', `The request body is larger than ${deps.options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes; send only { "fileName", "size" } here and the file itself to the uploadUrl.`, c.req.path),
    }),
    async (c) => {
      const principal = c.get('principal');
      if (principal.role !== 'issuer') {
        throw new ApiProblem('ROLE_FORBIDDEN', `Only issuers upload tapes; a ${principal.role} key is read-only.`);
      }
      const dealId = c.req.param('dealId');
      const body = await jsonBody(c, '{ "fileName": "tape.csv", "size": 12345 }');
      const fileName = (body as { fileName?: unknown } | null)?.fileName;
      if (typeof fileName === 'string') {
        const check = parseTapeKey(`incoming/x/x/${fileName}`);
        if (!check.ok) throw new ApiProblem('FILE_NAME_INVALID', check.reason.replace(/^object key '[^']*': /, ''), { errors: [{ location: 'body.fileName', message: 'letters, digits, . _ - (1-200), no ..' }] });
      }
      if (!validateUploadRequest(body)) {
        const errors = (validateUploadRequest.errors ?? []).map((e) => ({ location: `body${e.instancePath.replace(/\//g, '.')}`, message: e.message ?? 'invalid' }));
        throw new ApiProblem('INVALID_BODY', `The body must be { "fileName": string, "size": integer bytes }: ${errors.map((e) => `${e.location} ${e.message}`).join('; ')}.`, { errors });
      }
      const request = body as UploadRequest;
      if (request.size > maxUpload) {
        throw new ApiProblem('UPLOAD_TOO_LARGE', `The file is ${request.size} bytes; one tape may be at most ${maxUpload} bytes. Split it into several tapes (for example by facility) and upload each.`);
      }
      const parts = { issuerId: principal.issuerId, dealId, fileName: request.fileName };
      const parsed = parseTapeKey(`incoming/${parts.issuerId}/${parts.dealId}/${parts.fileName}`);
      if (!parsed.ok) throw new ApiProblem('INVALID_PARAMETER', parsed.reason, { errors: [{ location: 'path.dealId', message: 'letters, digits, . _ - (1-64)' }] });
      const key = formatTapeKey(parts);
      // Defence in depth: whatever the parts, the key stays under the caller's own prefix.
      if (!key.startsWith(issuerPrefix(principal.issuerId))) throw new Error(`key ${key} escaped the issuer prefix`);
      const signingDate = now();
      const signed = await deps.presigner.presignPut({ key, contentLength: request.size, expiresInSeconds: urlSeconds, signingDate });
      deps.log?.('info', 'upload presigned', { issuerId: principal.issuerId, dealId, key, size: request.size, subject: principal.subject });
      const ticket: UploadTicket = {
        key,
        uploadUrl: signed.url,
        expiresAt: new Date(signingDate.getTime() + urlSeconds * 1000).toISOString(),
        method: 'PUT',
        headers: { ...signed.headers },
        maxBytes: maxUpload,
      };
      return c.json(ticket, 201);
    },
  );

  app.get('/v1/deals/:dealId/compare', async (c) => {
    const deal = await dealFor(c, deps, c.req.param('dealId'));
    const fromId = c.req.query('from');
    const toId = c.req.query('to');
    if (!fromId || !toId) {
      throw new ApiProblem('INVALID_PARAMETER', 'Give both tapes: ?from={older tapeId}&to={newer tapeId} (ids from GET /v1/deals/{dealId}/tapes).', {
        errors: [...(fromId ? [] : [{ location: 'query.from', message: 'required' }]), ...(toId ? [] : [{ location: 'query.to', message: 'required' }])],
      });
    }
    const listLimit = intQuery(c, 'limit', { min: 0, max: 1000, default: 100 })!;
    const [from, to] = await Promise.all([tapeFor(c, deps, fromId), tapeFor(c, deps, toId)]);
    for (const t of [from, to]) {
      if (t.issuerId !== deal.issuerId || t.dealId !== deal.dealId) {
        throw new ApiProblem('TAPE_NOT_FOUND', `Tape ${t.tapeId} is not a tape of deal ${deal.dealId}; pick both tapes from GET /v1/deals/${deal.dealId}/tapes.`);
      }
    }
    const a = requireScored(from);
    const b = requireScored(to);
    const comparison = await readArtifact(`${a.tapeId}/${b.tapeId}`, 'results', () => compareTapes(deps.artifacts, a, b, { listLimit }));
    return c.json(comparison);
  });
}
