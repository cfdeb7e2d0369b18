/**
 * /v1/deals/{dealId}/mapping: the deal's column mapping (schemas/column-mapping.v1.schema.json),
 * stored where the pipeline's validate step reads it, `mapping/{issuerId}/{dealId}.json` in the
 * tapes bucket. Issuers read and write their own deal's, before its first tape too (so the first
 * upload is already mapped); reviewers and onboarding read a known deal's.
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { parseTapeKey } from '../../pipeline/tape-key.ts';
import { isDmbsError } from '../../core/errors.ts';
import type { ColumnMapping } from '../../core/generated/column-mapping.ts';
import { parseColumnMapping } from '../../core/mapping/mapping-file.ts';
import { LOAN_TAPE_KIND } from '../../core/kinds/loan-tape/kind.ts';
import { dealMappingKey } from '../../pipeline/state.ts';
import { dealFor, jsonBody, type AppContext, type AppEnv } from '../context.ts';
import { DEFAULT_MAX_BODY_BYTES, type ApiDeps, type DealFileStore } from '../ports.ts';
import { ApiProblem, problemResponse } from '../problem.ts';

const EXAMPLE = '{ "schemaVersion": "dmbs-column-mapping/1", "columns": { "Loan Ref": "loanId" } }';

export function mappingRoutes(app: Hono<AppEnv>, deps: ApiDeps): void {
  const maxBody = deps.options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  app.get('/v1/deals/:dealId/mapping', async (c) => {
    const store = storeOf(deps);
    const deal = await mappedDeal(c, deps, c.req.param('dealId'));
    const key = dealMappingKey(deal);
    try {
      return c.json(await store.getJson<ColumnMapping>(key));
    } catch (e) {
      if (isDmbsError(e) && e.code === 'OBJECT_NOT_FOUND') {
        throw new ApiProblem('MAPPING_NOT_FOUND', `Deal ${deal.dealId} has no column mapping: its tapes' headers are matched by field name and alias. An issuer adds one with PUT /v1/deals/${deal.dealId}/mapping.`);
      }
      throw e;
    }
  });

  app.put(
    '/v1/deals/:dealId/mapping',
    bodyLimit({
      maxSize: maxBody,
      onError: (c) => problemResponse('BODY_TOO_LARGE', `The request body is larger than ${maxBody} bytes; a column mapping lists headers and fields only.`, c.req.path),
    }),
    async (c) => {
      const store = storeOf(deps);
      const principal = c.get('principal');
      if (principal.role !== 'issuer') {
        throw new ApiProblem('ROLE_FORBIDDEN', `Only the deal's issuer writes its column mapping; a ${principal.role} key may read it (GET).`);
      }
      const deal = await mappedDeal(c, deps, c.req.param('dealId'));
      const body = await jsonBody(c, EXAMPLE);
      let mapping: ColumnMapping;
      try {
        mapping = parseColumnMapping(body, 'body', LOAN_TAPE_KIND.validation.fieldByName);
      } catch (e) {
        if (isDmbsError(e)) throw new ApiProblem('MAPPING_INVALID', `${e.message} See schemas/column-mapping.v1.schema.json.`, { errors: [{ location: 'body', message: e.message }] });
        throw e;
      }
      const key = dealMappingKey(deal);
      await store.putJson(key, mapping);
      deps.log?.('info', 'column mapping stored', { issuerId: deal.issuerId, dealId: deal.dealId, key, subject: principal.subject });
      return c.json(mapping);
    },
  );
}

function storeOf(deps: ApiDeps): DealFileStore {
  if (!deps.mappings) throw new ApiProblem('MAPPING_UNAVAILABLE', 'This deployment stores no column mappings.');
  return deps.mappings;
}

/**
 * The deal whose mapping a request names. Issuers: their own deal id, known or not yet (a mapping
 * may come before the first tape); another issuer's id in ?issuerId= answers 404 as a missing deal.
 * Reviewers and onboarding: a deal the results know (dealFor).
 */
async function mappedDeal(c: AppContext, deps: ApiDeps, dealId: string): Promise<{ issuerId: string; dealId: string }> {
  const principal = c.get('principal');
  if (principal.role !== 'issuer') return dealFor(c, deps, dealId);
  const issuerId = c.req.query('issuerId');
  if (issuerId !== undefined && issuerId !== principal.issuerId) return dealFor(c, deps, dealId, issuerId);
  // The same rule as a tape key's deal segment, so the mapping's key is always path-safe.
  const parsed = parseTapeKey(`incoming/${principal.issuerId}/${dealId}/mapping.json`);
  if (!parsed.ok) throw new ApiProblem('INVALID_PARAMETER', parsed.reason, { errors: [{ location: 'path.dealId', message: 'letters, digits, . _ - (1-64)' }] });
  return { issuerId: principal.issuerId, dealId };
}
