/**
 * Opaque page tokens (`nextToken`): the store's cursor wrapped with the scope it belongs to (the
 * list and its filters), base64url. A token replayed on another list or with other filters is
 * refused with INVALID_NEXT_TOKEN instead of reading from the wrong place.
 */
import { ApiProblem } from './problem.ts';

/** Wraps a store cursor (or a position) for the client. */
export function encodePageToken(scope: string, cursor: string | number): string {
  return Buffer.from(JSON.stringify({ v: 1, s: scope, c: cursor }), 'utf8').toString('base64url');
}

/** Unwraps a token for `scope`; throws ApiProblem INVALID_NEXT_TOKEN when it is not one issued for it. */
export function decodePageToken<T extends string | number>(token: string, scope: string, kind: 'string' | 'number'): T {
  const bad = () => new ApiProblem('INVALID_NEXT_TOKEN', 'nextToken is not one this list returned (or the filters changed); start again without it.');
  if (token.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(token)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const t = parsed as { v?: unknown; s?: unknown; c?: unknown } | null;
  if (!t || t.v !== 1 || t.s !== scope || typeof t.c !== kind) throw bad();
  if (kind === 'number' && (!Number.isSafeInteger(t.c) || (t.c as number) < 0)) throw bad();
  return t.c as T;
}
