/**
 * A small client for the DMBS HTTP API (the same for the local stack and a deployed one): JSON in
 * and out with the bearer token, and every failure as one sentence (the API's problem+json
 * detail, or why the API could not be reached). A request answered 429 (throttled) or 503
 * (unavailable) is sent again after the server's Retry-After (seconds or an HTTP date), else after
 * a growing backoff, a bounded number of times; then it fails with one sentence saying so. Such an
 * answer means the request was not carried out, so repeating a POST is safe.
 */
import type { StackTarget } from './stack-target.ts';
import { UsageError } from './usage-error.ts';

/** A request the API refused, with its problem+json code and HTTP status (printed as `dmbs: ...`, exit 2). */
export class ApiRequestError extends UsageError {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Statuses that mean "not now, try again": the request was not carried out. */
const RETRYABLE = new Set([429, 503]);
/** First backoff without a Retry-After; it doubles each attempt up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** A Retry-After longer than this is not waited for: the command fails saying when to try again. */
export const MAX_RETRY_WAIT_MS = 60_000;

export interface ApiClientOptions {
  /** Per attempt (default 30 s). */
  readonly timeoutMs?: number;
  /** Attempts for a request answered 429 or 503, the first included (default 5). */
  readonly attempts?: number;
  /** How to wait between attempts (tests record the waits instead). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Where a retry is announced (default stderr). */
  readonly notice?: (line: string) => void;
}

/**
 * @example const tape = await new ApiClient(target).get<Tape>(`/v1/tapes/${tapeId}`);
 */
export class ApiClient {
  readonly target: StackTarget;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #notice: (line: string) => void;

  constructor(target: StackTarget, options: ApiClientOptions = {}) {
    this.target = target;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#attempts = Math.max(1, options.attempts ?? 5);
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#notice = options.notice ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get<T>(path: string): Promise<T> {
    return this.#request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#request<T>('POST', path, body);
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.target.endpoint}${path}`;
    let response: Response;
    let text: string;
    for (let attempt = 1; ; attempt++) {
      try {
        response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${this.target.token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        text = await response.text();
      } catch (e) {
        throw new UsageError(unreachable(this.target, e));
      }
      if (!RETRYABLE.has(response.status)) break;
      const asked = retryAfterMs(response.headers.get('retry-after'));
      const error = problemError(response.status, text, method, path);
      if (attempt >= this.#attempts) {
        throw new ApiRequestError(error.status, error.code, `${error.message} (HTTP ${response.status} ${attempt} times; try again later)`);
      }
      if (asked !== undefined && asked > MAX_RETRY_WAIT_MS) {
        throw new ApiRequestError(error.status, error.code, `${error.message} (HTTP ${response.status}; the API asks to wait ${Math.ceil(asked / 1000)} s: try again then)`);
      }
      const wait = asked ?? Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS) * (1 + Math.random() / 4);
      this.#notice(`dmbs: ${method} ${path}: HTTP ${response.status}, trying again in ${(wait / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${this.#attempts})`);
      await this.#sleep(wait);
    }
    if (!response.ok) throw problemError(response.status, text, method, path);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new UsageError(`${method} ${path}: the API answered ${response.status} with something that is not JSON`);
    }
  }
}

/**
 * Milliseconds a Retry-After header asks to wait: delta-seconds or an HTTP date (RFC 9110 10.2.3);
 * undefined when absent or unreadable.
 * @example retryAfterMs('2') // 2000
 */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = /^[A-Za-z]{3}, /.test(v) ? Date.parse(v) : Number.NaN; // IMF-fixdate, as HTTP dates are sent
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function unreachable(target: StackTarget, e: unknown): string {
  const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
  if (cause === 'TimeoutError') return `the DMBS API at ${target.endpoint} did not answer in time`;
  return target.local
    ? `cannot reach the local DMBS stack at ${target.endpoint} (${cause}); start it with \`npm start\` (DMBS_PORT selects its port), or pass --endpoint URL for a deployed stack`
    : `cannot reach the DMBS API at ${target.endpoint} (${cause}); check --endpoint`;
}

function problemError(status: number, text: string, method: string, path: string): ApiRequestError {
  let code = `HTTP_${status}`;
  let detail = text.slice(0, 300);
  try {
    const problem = JSON.parse(text) as { code?: unknown; detail?: unknown; title?: unknown };
    if (typeof problem.code === 'string') code = problem.code;
    if (typeof problem.detail === 'string') detail = problem.detail;
    else if (typeof problem.title === 'string') detail = problem.title;
  } catch {
    // not problem+json: keep the raw start of the body
  }
  const hint = status === 401 ? ' (check --token / DMBS_TOKEN)' : '';
  return new ApiRequestError(status, code, `${method} ${path}: ${detail}${hint}`);
}
