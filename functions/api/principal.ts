/**
 * Who is calling: one `Principal` type whichever provider authenticated the request (JWT claims
 * from API Gateway in AWS, the local keys file on a laptop), and the access rules over it.
 * No I/O; never holds a token.
 */

export const ROLES = ['reviewer', 'onboarding', 'issuer'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated caller. Issuers are bound to one issuerId; reviewers and onboarding read everything. */
export type Principal =
  | { readonly role: 'reviewer' | 'onboarding'; readonly subject: string }
  | { readonly role: 'issuer'; readonly subject: string; readonly issuerId: string };

/** Why a request could not be authenticated (maps to 401, or 403 for a valid identity without a role). */
export type AuthFailure =
  | { readonly ok: false; readonly code: 'TOKEN_MISSING' | 'TOKEN_INVALID'; readonly detail: string }
  | { readonly ok: false; readonly code: 'ROLE_MISSING'; readonly detail: string };

export type AuthOutcome = { readonly ok: true; readonly principal: Principal } | AuthFailure;

/** What a provider may look at: the Authorization header, and in Lambda the API Gateway event. */
export interface AuthRequest {
  readonly authorization: string | undefined;
  /** The HTTP API v2 event (Lambda only). */
  readonly lambdaEvent?: unknown;
}

/** Authenticates a request. Implementations never log or return the token. */
export interface AuthProvider {
  authenticate(request: AuthRequest): AuthOutcome | Promise<AuthOutcome>;
}

/** True when the principal may see data of `issuerId` (undefined: a tape whose key named no issuer). */
export function canSeeIssuer(principal: Principal, issuerId: string | undefined | null): boolean {
  if (principal.role !== 'issuer') return true;
  return issuerId != null && issuerId === principal.issuerId;
}

/** The bearer token of an Authorization header, or undefined when there is none or it is not `Bearer <token>`. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization);
  return m?.[1];
}
