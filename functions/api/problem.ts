/**
 * Every error the API answers, as an RFC 9457 problem document (application/problem+json) with a
 * stable `code`. Codes are public: never rename one. Nothing here ever carries a stack trace.
 */
import type { Problem } from './generated/api.ts';

/** code -> HTTP status and the fixed title. */
export const PROBLEMS = {
  TOKEN_MISSING: { status: 401, title: 'Authentication required' },
  TOKEN_INVALID: { status: 401, title: 'Token not recognised' },
  ROLE_MISSING: { status: 403, title: 'No role for this identity' },
  ROLE_FORBIDDEN: { status: 403, title: 'Not allowed for this role' },
  DEAL_NOT_FOUND: { status: 404, title: 'Deal not found' },
  TAPE_NOT_FOUND: { status: 404, title: 'Tape not found' },
  REVISION_NOT_FOUND: { status: 404, title: 'Result revision not found' },
  RESCORE_JOB_NOT_FOUND: { status: 404, title: 'Re-score job not found' },
  DMBX_SERIES_NOT_FOUND: { status: 404, title: 'DMBX series not found' },
  MAPPING_NOT_FOUND: { status: 404, title: 'Deal has no column mapping' },
  STRESS_MODEL_NOT_FOUND: { status: 404, title: 'Deal has no stress model of its own' },
  WATCHLIST_NOT_FOUND: { status: 404, title: 'No watchlist for this deal or tape' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such resource' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  NOT_ACCEPTABLE: { status: 406, title: 'Representation not available' },
  DEAL_AMBIGUOUS: { status: 409, title: 'Deal id used by several issuers' },
  TAPE_NOT_SCORED: { status: 409, title: 'Tape has no results yet' },
  LOANS_NOT_EVALUATED: { status: 409, title: 'Tape has no loan-level results' },
  STRESS_NOT_EVALUATED: { status: 409, title: 'Tape was scored before the stress lens' },
  RESCORE_IN_PROGRESS: { status: 409, title: 'Tape is being re-scored' },
  DMBX_SERIES_EXISTS: { status: 409, title: 'DMBX series name already used' },
  INVALID_PARAMETER: { status: 400, title: 'Invalid parameter' },
  INVALID_NEXT_TOKEN: { status: 400, title: 'Invalid page token' },
  INVALID_BODY: { status: 400, title: 'Invalid request body' },
  FILE_NAME_INVALID: { status: 400, title: 'Invalid file name' },
  MAPPING_INVALID: { status: 400, title: 'Invalid column mapping' },
  STRESS_MODEL_INVALID: { status: 400, title: 'Invalid stress model' },
  DMBX_RULEBOOK_INVALID: { status: 400, title: 'Invalid DMBX rulebook' },
  UPLOAD_TOO_LARGE: { status: 400, title: 'File too large' },
  BODY_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  ARTIFACT_MISSING: { status: 500, title: 'Stored result missing' },
  INTERNAL: { status: 500, title: 'Internal error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  RESCORE_UNAVAILABLE: { status: 503, title: 'Re-scoring not configured' },
  MAPPING_UNAVAILABLE: { status: 503, title: 'Column mappings not configured' },
  STRESS_MODELS_UNAVAILABLE: { status: 503, title: 'Deal stress models not configured' },
  MARKET_UNAVAILABLE: { status: 503, title: 'Market dataset not configured' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
const TYPE_BASE = 'https://dmbs.example/problems/';

/** Thrown by routes; the app's error handler turns it into the problem document. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors: Problem['errors'];

  constructor(code: ProblemCode, detail: string, options: { errors?: Problem['errors']; cause?: unknown } = {}) {
    super(`${code}: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
  }

  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

/** The problem document of a code. */
export function problemBody(code: ProblemCode, detail: string, instance?: string, errors?: Problem['errors'], extra: Pick<Problem, 'checks'> = {}): Problem {
  const { status, title } = PROBLEMS[code];
  return {
    type: `${TYPE_BASE}${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    detail,
    code,
    ...(instance ? { instance } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...extra,
  };
}

/** A Response carrying the problem document. */
export function problemResponse(
  code: ProblemCode, detail: string, instance?: string, errors?: Problem['errors'], headers: Record<string, string> = {}, extra: Pick<Problem, 'checks'> = {},
): Response {
  const body = problemBody(code, detail, instance, errors, extra);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': PROBLEM_MEDIA_TYPE, 'cache-control': 'no-store', ...headers },
  });
}
