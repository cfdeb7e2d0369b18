/**
 * The OpenAPI 3.1 document, generated from schemas/ (the single source of truth): every JSON
 * Schema of the standard is embedded as a component with its references rewritten to point
 * into components, the API's own bodies are the `$defs` of dmbs-api.v1.schema.json, and the
 * paths below only reference them. Built once per process.
 */
import apiSchema from '../../schemas/dmbs-api.v1.schema.json' with { type: 'json' };
import mappingSchema from '../../schemas/column-mapping.v1.schema.json' with { type: 'json' };
import criteriaSchema from '../../schemas/dmbs-criteria.v1.schema.json' with { type: 'json' };
import loanTapeSchema from '../../schemas/dmbs-loan-tape.v1.schema.json' with { type: 'json' };
import reportSchema from '../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import scoreModelSchema from '../../schemas/score-model.schema.json' with { type: 'json' };
import stressModelSchema from '../../schemas/stress-model.schema.json' with { type: 'json' };
import tapeFailedSchema from '../../schemas/tape-failed.v1.schema.json' with { type: 'json' };
import tapeScoredSchema from '../../schemas/tape-scored.v1.schema.json' with { type: 'json' };
import loansWatchlistedSchema from '../../schemas/loans-watchlisted.v1.schema.json' with { type: 'json' };
import { PROBLEMS, PROBLEM_MEDIA_TYPE, type ProblemCode } from './problem.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** The standard's schemas embedded whole (component name = the schema's title). */
const STANDARD_SCHEMAS: readonly JsonObject[] = [
  reportSchema, loanTapeSchema, mappingSchema, criteriaSchema, scoreModelSchema, stressModelSchema, tapeScoredSchema, tapeFailedSchema, loansWatchlistedSchema,
] as unknown as JsonObject[];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Rewrites `$ref`s: `#/...` of the schema itself -> into its component; `<$id>#/...` of another schema -> into that one's. */
function rewriteRefs(node: Json, local: (pointer: string) => string, byId: Map<string, string>, base: string): Json {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, local, byId, base));
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      if (v.startsWith('#')) out[k] = local(v.slice(1));
      else {
        const [file = '', pointer = ''] = v.split('#');
        const target = byId.get(new URL(file, base).href);
        if (!target) throw new Error(`openapi: cannot resolve $ref ${v} (not one of schemas/)`);
        out[k] = `#/components/schemas/${target}${pointer}`;
      }
    } else if (k === '$id' || k === '$schema') {
      continue; // ids would re-base relative references; the component path replaces them
    } else out[k] = rewriteRefs(v, local, byId, base);
  }
  return out;
}

function buildComponents(): Record<string, Json> {
  const byId = new Map<string, string>();
  for (const s of STANDARD_SCHEMAS) byId.set(String(s.$id), String(s.title));
  const schemas: Record<string, Json> = {};
  for (const s of STANDARD_SCHEMAS) {
    const name = String(s.title);
    schemas[name] = rewriteRefs(s, (p) => `#/components/schemas/${name}${p}`, byId, String(s.$id));
  }
  const api = apiSchema as unknown as JsonObject & { $defs: Record<string, Json> };
  for (const [name, def] of Object.entries(api.$defs)) {
    // The API's definitions become components of their own: `#/$defs/X` -> `#/components/schemas/X`.
    schemas[name] = rewriteRefs(def, (p) => `#/components/schemas/${p.replace(/^\/\$defs\//, '')}`, byId, String(api.$id));
  }
  return schemas;
}

const json = (schema: Json) => ({ 'application/json': { schema } });
const problems = (...codes: ProblemCode[]) => {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const c of codes) byStatus.set(PROBLEMS[c].status, [...(byStatus.get(PROBLEMS[c].status) ?? []), c]);
  return Object.fromEntries([...byStatus].map(([status, cs]) => [String(status), {
    description: cs.map((c) => `${c}: ${PROBLEMS[c].title}`).join('; '),
    content: { [PROBLEM_MEDIA_TYPE]: { schema: ref('Problem') } },
  }]));
};
const READ_PROBLEMS: ProblemCode[] = ['TOKEN_MISSING', 'TOKEN_INVALID', 'ROLE_MISSING', 'INTERNAL'];
/** A body too large to answer inline (functions/api/large-responses.ts). */
const SEE_OTHER = {
  303: {
    description: 'The body is larger than this deployment answers inline (on AWS Lambda: 4 MB). It has been stored (unfiltered NDJSON findings: the stored findings object itself); Location is a presigned GET of it (same Content-Type and Content-Disposition), valid for expiresInSeconds. Follow the redirect (curl -L; fetch follows it).',
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
    content: json({
      type: 'object', required: ['location', 'expiresInSeconds', 'bytes'],
      properties: { location: { type: 'string', format: 'uri' }, expiresInSeconds: { type: 'integer' }, bytes: { type: 'integer', description: 'Size of the stored body.' } },
    }),
  },
};
const param = (name: string, where: 'path' | 'query', schema: Json, description: string, required = where === 'path') => ({ name, in: where, required, schema, description });
const tapeIdParam = param('tapeId', 'path', { type: 'string', pattern: '^[0-9a-f]{32}$' }, 'The tape id (from the tape list).');
const dealIdParam = param('dealId', 'path', { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }, 'The deal id (issuers: their own deal).');
const issuerIdParam = param('issuerId', 'query', { type: 'string' }, 'Reviewers and onboarding: the deal\'s issuer (needed only when several issuers use the deal id). Issuers: their own id or nothing.');
const limitParam = (max: number, dflt: number) => param('limit', 'query', { type: 'integer', minimum: 1, maximum: max, default: dflt }, 'Page size.');
const revisionParam = param('revision', 'query', { type: 'integer', minimum: 1 }, 'An earlier result revision (the tape lists them); default: the current one.');
const RESCORE_PROBLEMS: ProblemCode[] = ['ROLE_FORBIDDEN', 'RESCORE_UNAVAILABLE'];
const ACCEPTED_JOB = {
  202: { description: 'The job is started; poll links.self (also the Location header) for done / total', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('RescoreJob')) },
};
const MARKET_PROBLEMS: ProblemCode[] = ['ROLE_FORBIDDEN', 'MARKET_UNAVAILABLE'];
const asOfParam = param('asOf', 'query', { type: 'string', format: 'date' }, 'Only tapes with reportingDate on or before this day (YYYY-MM-DD); default: every deal\'s latest.');
const nextTokenParam = param('nextToken', 'query', { type: 'string' }, 'The nextToken of the previous page (with the same filters).');

function buildPaths(): JsonObject {
  return {
    '/health': {
      get: {
        operationId: 'getHealth', summary: 'Readiness of the API and what it depends on', security: [],
        responses: { 200: { description: 'Ready', content: json(ref('Health')) }, ...problems('UNAVAILABLE') },
      },
    },
    '/openapi.json': {
      get: { operationId: 'getOpenApi', summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } } },
    },
    '/v1/me': {
      get: {
        operationId: 'getMe', summary: 'Who the caller is: role, issuerId (issuers) and name',
        responses: { 200: { description: 'The caller', content: json(ref('Me')) }, ...problems(...READ_PROBLEMS) },
      },
    },
    '/v1/deals': {
      get: {
        operationId: 'listDeals', summary: 'Deals the caller may see (issuers: their own), most recently active first for reviewers',
        parameters: [limitParam(100, 20), nextTokenParam],
        responses: { 200: { description: 'A page of deals', content: json(ref('DealPage')) }, ...problems(...READ_PROBLEMS, 'INVALID_PARAMETER', 'INVALID_NEXT_TOKEN') },
      },
    },
    '/v1/deals/{dealId}': {
      get: {
        operationId: 'getDeal', summary: 'One deal with its latest tape and latest scored tape', parameters: [dealIdParam, issuerIdParam],
        responses: { 200: { description: 'The deal', content: json(ref('Deal')) }, ...problems(...READ_PROBLEMS, 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS') },
      },
    },
    '/v1/deals/{dealId}/tapes': {
      get: {
        operationId: 'listDealTapes', summary: 'The deal\'s tapes, newest upload first', parameters: [dealIdParam, issuerIdParam, limitParam(100, 20), nextTokenParam],
        responses: { 200: { description: 'A page of tapes', content: json(ref('TapePage')) }, ...problems(...READ_PROBLEMS, 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS', 'INVALID_PARAMETER', 'INVALID_NEXT_TOKEN') },
      },
      post: {
        operationId: 'createUpload', summary: 'Issuers: a presigned S3 PUT for a new tape of the deal, valid 15 minutes, under the caller\'s own prefix',
        parameters: [dealIdParam],
        requestBody: { required: true, content: json(ref('UploadRequest')) },
        responses: {
          201: { description: 'Upload the file with PUT to uploadUrl, sending `headers`', content: json(ref('UploadTicket')) },
          ...problems(...READ_PROBLEMS, 'ROLE_FORBIDDEN', 'INVALID_BODY', 'FILE_NAME_INVALID', 'UPLOAD_TOO_LARGE', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'),
        },
      },
    },
    '/v1/deals/{dealId}/mapping': {
      get: {
        operationId: 'getDealMapping', summary: 'The deal\'s column mapping (its headers -> DMBS fields), which the pipeline applies to each new tape of the deal',
        parameters: [dealIdParam, issuerIdParam],
        responses: { 200: { description: 'The mapping', content: json(ref('ColumnMapping')) }, ...problems(...READ_PROBLEMS, 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS', 'MAPPING_NOT_FOUND', 'INVALID_PARAMETER', 'MAPPING_UNAVAILABLE') },
      },
      put: {
        operationId: 'putDealMapping', summary: 'Issuers: store the column mapping of their own deal (before its first tape too); tapes uploaded afterwards are read with it',
        parameters: [dealIdParam],
        requestBody: { required: true, content: json(ref('ColumnMapping')) },
        responses: {
          200: { description: 'The stored mapping', content: json(ref('ColumnMapping')) },
          ...problems(...READ_PROBLEMS, 'ROLE_FORBIDDEN', 'DEAL_NOT_FOUND', 'MAPPING_INVALID', 'INVALID_BODY', 'INVALID_PARAMETER', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'MAPPING_UNAVAILABLE'),
        },
      },
    },
    '/v1/deals/{dealId}/stress': {
      get: {
        operationId: 'getDealStressModel', summary: 'The deal\'s own stress file (any part of schemas/stress-model.json, and its tranches), which evaluation merges over the defaults',
        parameters: [dealIdParam, issuerIdParam],
        responses: { 200: { description: 'The stored file', content: json(ref('StressModel')) }, ...problems(...READ_PROBLEMS, 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS', 'STRESS_MODEL_NOT_FOUND', 'STRESS_MODELS_UNAVAILABLE') },
      },
      put: {
        operationId: 'putDealStressModel', summary: 'Reviewers and onboarding: store the deal\'s stress file; the deal\'s next tapes and re-scores are evaluated with it',
        parameters: [dealIdParam, issuerIdParam],
        requestBody: { required: true, content: json(ref('StressModel')) },
        responses: {
          200: { description: 'The stored file', content: json(ref('StressModel')) },
          ...problems(...READ_PROBLEMS, 'ROLE_FORBIDDEN', 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS', 'STRESS_MODEL_INVALID', 'INVALID_BODY', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'STRESS_MODELS_UNAVAILABLE'),
        },
      },
    },
    '/v1/deals/{dealId}/compare': {
      get: {
        operationId: 'compareTapes', summary: 'What changed between two scored tape versions of the deal',
        parameters: [dealIdParam, issuerIdParam,
          param('from', 'query', { type: 'string', pattern: '^[0-9a-f]{32}$' }, 'The older tape.', true),
          param('to', 'query', { type: 'string', pattern: '^[0-9a-f]{32}$' }, 'The newer tape.', true),
          param('limit', 'query', { type: 'integer', minimum: 0, maximum: 1000, default: 100 }, 'Most loans listed per change kind (counts are always complete).')],
        responses: { 200: { description: 'The comparison', content: json(ref('Comparison')) }, ...SEE_OTHER, ...problems(...READ_PROBLEMS, 'DEAL_NOT_FOUND', 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'INVALID_PARAMETER') },
      },
    },
    '/v1/deals/{dealId}/watchlist': {
      get: {
        operationId: 'getDealWatchlist', summary: 'The deal\'s current watchlist: the watchlisted loans of its latest scored tape (by reportingDate), with their codes and the values they read, now and on the prior tape',
        parameters: [dealIdParam, issuerIdParam,
          param('tapeId', 'query', { type: 'string', pattern: '^[0-9a-f]{32}$' }, 'Another scored tape of the deal (default: the latest by reportingDate).'),
          param('code', 'query', { type: 'string', pattern: '^W0[1-8]$' }, 'Only the loans with this code.'),
          limitParam(1000, 100), nextTokenParam],
        responses: { 200: { description: 'The watchlist, a page of its loans', content: json(ref('DealWatchlist')) }, ...problems(...READ_PROBLEMS, 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS', 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'WATCHLIST_NOT_FOUND', 'INVALID_PARAMETER', 'INVALID_NEXT_TOKEN') },
      },
    },
    '/v1/deals/{dealId}/trends': {
      get: {
        operationId: 'getDealTrends', summary: 'Per scored tape of the deal, in reportingDate order: pool balance, eligible count, WA DSCR and LTV, stressed LTV, score, data quality, watchlist share and counts by code',
        parameters: [dealIdParam, issuerIdParam, param('limit', 'query', { type: 'integer', minimum: 1, maximum: 240, default: 60 }, 'The latest this many tapes.')],
        responses: { 200: { description: 'The trend points, oldest first', content: json(ref('DealTrends')) }, ...problems(...READ_PROBLEMS, 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS', 'INVALID_PARAMETER') },
      },
    },
    '/v1/tapes': {
      get: {
        operationId: 'listTapesByStatus',
        summary: 'Reviewers and onboarding: tapes in one status across deals, most recently changed first; with ?code= only FAILED tapes with that failure code (OBJECT_KEY_INVALID: uploads whose key names no deal, listed nowhere else)',
        parameters: [
          param('status', 'query', { enum: ['RECEIVED', 'VALIDATING', 'EVALUATING', 'SCORING', 'SCORED', 'FAILED', 'DUPLICATE'] }, 'The status.', true),
          param('code', 'query', { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$' }, 'Only tapes that failed with this code. A page may then hold fewer than limit tapes; follow nextToken.'),
          limitParam(100, 20), nextTokenParam],
        responses: { 200: { description: 'A page of tapes', content: json(ref('TapePage')) }, ...problems(...READ_PROBLEMS, 'ROLE_FORBIDDEN', 'INVALID_PARAMETER', 'INVALID_NEXT_TOKEN') },
      },
    },
    '/v1/tapes/{tapeId}': {
      get: {
        operationId: 'getTape', summary: 'A tape\'s status, progress and results summary', parameters: [tapeIdParam],
        responses: { 200: { description: 'The tape', content: json(ref('Tape')) }, ...problems(...READ_PROBLEMS, 'TAPE_NOT_FOUND') },
      },
    },
    '/v1/tapes/{tapeId}/report': {
      get: {
        operationId: 'getTapeReport', summary: 'The full dmbs-report/1 document (of the current result revision, or ?revision=)', parameters: [tapeIdParam, revisionParam],
        responses: { 200: { description: 'The report', content: json(ref('DmbsReport')) }, ...SEE_OTHER, ...problems(...READ_PROBLEMS, 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'REVISION_NOT_FOUND', 'INVALID_PARAMETER', 'ARTIFACT_MISSING') },
      },
    },
    '/v1/tapes/{tapeId}/errors': {
      get: {
        operationId: 'getTapeErrors',
        summary: 'Every finding, streamed: NDJSON (one dmbs-report/1 finding per line) by default, CSV with `Accept: text/csv` or ?format=csv (cells starting with = + - @, tab or CR are prefixed with an apostrophe)',
        parameters: [tapeIdParam,
          param('format', 'query', { enum: ['ndjson', 'csv'] }, 'Overrides the Accept header.'),
          param('field', 'query', { type: 'string' }, 'Only findings on this field.'),
          param('code', 'query', { type: 'string' }, 'Only findings with this code.'),
          param('severity', 'query', { enum: ['error', 'warning'] }, 'Only errors or only warnings.'),
          param('limit', 'query', { type: 'integer', minimum: 1 }, 'At most this many findings (default: all).')],
        responses: {
          200: {
            description: 'The findings',
            content: {
              'application/x-ndjson': { schema: { $ref: '#/components/schemas/DmbsReport/$defs/finding' } },
              'text/csv': { schema: { type: 'string', description: 'Header row, column, field, code, severity, message, value, loanId (empty when the finding names no loan).' } },
            },
          },
          ...SEE_OTHER,
          ...problems(...READ_PROBLEMS, 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'NOT_ACCEPTABLE', 'INVALID_PARAMETER', 'ARTIFACT_MISSING'),
        },
      },
    },
    '/v1/tapes/{tapeId}/loans': {
      get: {
        operationId: 'listTapeLoans', summary: 'Per-loan eligibility, in file order', parameters: [tapeIdParam,
          param('eligible', 'query', { enum: ['true', 'false'] }, 'Only eligible or only ineligible loans.'),
          param('criterion', 'query', { type: 'string', pattern: '^[EG][0-9]{2}$' }, 'Only rows failing this criterion (E01-E10 of a loan tape, G01-G09 of a compute tape).'),
          revisionParam, limitParam(1000, 100), nextTokenParam],
        responses: { 200: { description: 'A page of loans', content: json(ref('LoanPage')) }, ...problems(...READ_PROBLEMS, 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'LOANS_NOT_EVALUATED', 'REVISION_NOT_FOUND', 'INVALID_PARAMETER', 'INVALID_NEXT_TOKEN', 'ARTIFACT_MISSING') },
      },
    },
    '/v1/tapes/{tapeId}/stress': {
      post: {
        operationId: 'stressTape',
        summary: 'What-if: the tape\'s stress section (stressed value, credit enhancement by rating level, tranches) under another stress model — the body, any part of schemas/stress-model.json, merged over the model the tape was evaluated with ({} gives the report\'s section). Computed from the stored sums; nothing is read again. Reviewers, onboarding and the tape\'s issuer',
        parameters: [tapeIdParam],
        requestBody: { required: true, content: json(ref('StressModel')) },
        responses: {
          200: { description: 'The stress section under that model', content: json(ref('DmbsReport/properties/stress')) },
          ...problems(...READ_PROBLEMS, 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'STRESS_NOT_EVALUATED', 'STRESS_MODEL_INVALID', 'INVALID_BODY', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'ARTIFACT_MISSING'),
        },
      },
    },
    '/v1/tapes/{tapeId}/rescore': {
      post: {
        operationId: 'rescoreTape',
        summary: 'Reviewers and onboarding: evaluate, score and publish the tape\'s stored canonical loans again under the deal\'s current criteria, as a new result revision of the same tape (earlier revisions stay listed and readable)',
        parameters: [tapeIdParam],
        responses: { ...ACCEPTED_JOB, ...problems(...READ_PROBLEMS, ...RESCORE_PROBLEMS, 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'RESCORE_IN_PROGRESS') },
      },
    },
    '/v1/rescores': {
      post: {
        operationId: 'startRescoreJob', summary: 'Reviewers and onboarding: re-score every deal\'s latest scored tape ({ "all": true }) or one deal\'s ({ "dealId" })',
        requestBody: { required: true, content: json(ref('RescoreRequest')) },
        responses: { ...ACCEPTED_JOB, ...problems(...READ_PROBLEMS, ...RESCORE_PROBLEMS, 'INVALID_BODY', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'DEAL_NOT_FOUND', 'DEAL_AMBIGUOUS') },
      },
    },
    '/v1/rescores/{jobId}': {
      get: {
        operationId: 'getRescoreJob', summary: 'Reviewers and onboarding: a re-score job\'s progress (done of total; scored, failed, skipped)',
        parameters: [param('jobId', 'path', { type: 'string', pattern: '^[0-9a-f]{32}$' }, 'The job id (from the 202 answer).')],
        responses: { 200: { description: 'The job', content: json(ref('RescoreJob')) }, ...problems(...READ_PROBLEMS, ...RESCORE_PROBLEMS, 'RESCORE_JOB_NOT_FOUND') },
      },
    },
    '/v1/tapes/{tapeId}/criteria': {
      get: {
        operationId: 'getTapeCriteria', summary: 'The criteria the tape was evaluated with (in its current result revision, or ?revision=), with the wording of each criterion, test and score factor (labels for people) and the deal currency',
        parameters: [tapeIdParam, revisionParam],
        responses: { 200: { description: 'The criteria and their labels', content: json(ref('TapeCriteria')) }, ...problems(...READ_PROBLEMS, 'TAPE_NOT_FOUND', 'TAPE_NOT_SCORED', 'REVISION_NOT_FOUND', 'ARTIFACT_MISSING') },
      },
    },
    '/v1/market/exposures': {
      get: {
        operationId: 'getMarketExposures', summary: 'Reviewers and onboarding: exposure of the deals\' latest scored tapes by tenant group, sponsor, market or facility (Σ eligible currentBalance), largest first',
        parameters: [param('by', 'query', ref('ExposureBy'), 'What to group by.', true), asOfParam, limitParam(1000, 100), nextTokenParam],
        responses: { 200: { description: 'A page of exposures', content: json(ref('ExposurePage')) }, ...problems(...READ_PROBLEMS, ...MARKET_PROBLEMS, 'INVALID_PARAMETER', 'INVALID_NEXT_TOKEN') },
      },
    },
    '/v1/market/balance-sheet-transition': {
      get: {
        operationId: 'getBalanceSheetTransition', summary: 'Reviewers and onboarding: off-balance-sheet debt returning to each tenant group\'s books, by quarter (`due` first), across the deals\' latest scored tapes',
        parameters: [param('tenantGroup', 'query', { type: 'string', minLength: 1, maxLength: 200 }, 'Only this tenant group (normalised like the exposure keys).'), asOfParam],
        responses: { 200: { description: 'The transition by quarter', content: json(ref('TransitionResult')) }, ...problems(...READ_PROBLEMS, ...MARKET_PROBLEMS, 'INVALID_PARAMETER') },
      },
    },
    '/v1/dmbx/series': {
      get: {
        operationId: 'listDmbxSeries', summary: 'Reviewers and onboarding: the DMBX series, by name',
        parameters: [limitParam(1000, 100), nextTokenParam],
        responses: { 200: { description: 'A page of series', content: json(ref('DmbxSeriesPage')) }, ...problems(...READ_PROBLEMS, ...MARKET_PROBLEMS, 'INVALID_PARAMETER', 'INVALID_NEXT_TOKEN') },
      },
      post: {
        operationId: 'createDmbxSeries', summary: 'Reviewers and onboarding: fix a DMBX series as of a date (immutable; a name is used once). Publishes DmbxSeriesCreated',
        requestBody: { required: true, content: json(ref('DmbxSeriesRequest')) },
        responses: {
          201: { description: 'The series', headers: { Location: { schema: { type: 'string' } } }, content: json(ref('DmbxSeries')) },
          ...problems(...READ_PROBLEMS, ...MARKET_PROBLEMS, 'INVALID_BODY', 'DMBX_RULEBOOK_INVALID', 'DMBX_SERIES_EXISTS', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'),
        },
      },
    },
    '/v1/dmbx/series/{name}': {
      get: {
        operationId: 'getDmbxSeries', summary: 'Reviewers and onboarding: one DMBX series: its deals and weights, look-through shares and caps',
        parameters: [param('name', 'path', { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' }, 'The series name.')],
        responses: { 200: { description: 'The series', content: json(ref('DmbxSeries')) }, ...problems(...READ_PROBLEMS, ...MARKET_PROBLEMS, 'INVALID_PARAMETER', 'DMBX_SERIES_NOT_FOUND') },
      },
    },
  };
}

let cached: JsonObject | undefined;

/** The OpenAPI 3.1 document of the API (built once). */
export function openApiDocument(): JsonObject {
  cached ??= {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'DMBS tape pipeline API',
      version: '1.0.0',
      description: 'Results of DMBS loan tapes for issuers, rating reviewers and automated deal onboarding. Auth: `Authorization: Bearer <token>`; roles reviewer and onboarding read everything, issuers read and upload their own deals only (other issuers\' deals and tapes answer 404). Every error is application/problem+json with a stable `code`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths: buildPaths(),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'In AWS: a Cognito JWT (groups reviewer, onboarding, issuer; issuers send their ID token, which carries the custom:issuerId an administrator set). Locally: a key from keys.json.' } },
      schemas: buildComponents(),
    },
  };
  return cached;
}
