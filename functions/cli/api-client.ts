/**
 * A small client for the DMBS HTTP API (the same for the local stack and a deployed one): JSON in
 * and out with the bearer token, and every failure as one sentence (the API's problem+json
 * detail, or why the API could not be reached). No retries beyond what a command asks for.
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

/**
 * @example const tape = await new ApiClient(target).get<Tape>(`/v1/tapes/${tapeId}`);
 */
export class ApiClient {
  readonly target: StackTarget;
  readonly #timeoutMs: number;

  constructor(target: StackTarget, options: { timeoutMs?: number } = {}) {
    this.target = target;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
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
    } catch (e) {
      throw new UsageError(unreachable(this.target, e));
    }
    const text = await response.text();
    if (!response.ok) throw problemError(response.status, text, method, path);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new UsageError(`${method} ${path}: the API answered ${response.status} with something that is not JSON`);
    }
  }
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
