/**
 * The AWS auth provider: API Gateway's JWT authorizer (Cognito) has already verified the token;
 * this reads the verified claims from the HTTP API v2 event. Role from `cognito:groups`
 * (reviewer > onboarding > issuer when several), issuer id from a claim (default `custom:issuerId`).
 * The issuer id is trusted only from an ID token (`token_use: id`): there it is the user pool's
 * immutable attribute, set by an administrator when the user was created (cdk/pipeline-stack.ts);
 * an access token carries no user attributes, so an issuer claim in one did not come from the pool.
 * Never reads or logs the token itself.
 */
import { ROLES, type AuthOutcome, type AuthProvider, type AuthRequest, type Role } from './principal.ts';

export interface JwtClaimsAuthOptions {
  /** Claim holding the groups (default `cognito:groups`). */
  readonly groupsClaim?: string;
  /** Claim holding an issuer's id (default `custom:issuerId`). */
  readonly issuerIdClaim?: string;
}

type Claims = Record<string, unknown>;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * @example const auth = createJwtClaimsAuth({ issuerIdClaim: 'custom:issuerId' });
 */
export function createJwtClaimsAuth(options: JwtClaimsAuthOptions = {}): AuthProvider {
  const groupsClaim = options.groupsClaim ?? 'cognito:groups';
  const issuerIdClaim = options.issuerIdClaim ?? 'custom:issuerId';
  return {
    authenticate(request: AuthRequest): AuthOutcome {
      const claims = claimsOf(request.lambdaEvent);
      if (!claims) {
        return request.authorization
          ? { ok: false, code: 'TOKEN_INVALID', detail: 'The token was not verified by the API\'s authorizer. Sign in again for a new token.' }
          : { ok: false, code: 'TOKEN_MISSING', detail: 'Send your token as "Authorization: Bearer <token>".' };
      }
      const subject = typeof claims.sub === 'string' ? claims.sub : 'unknown subject';
      const groups = parseGroups(claims[groupsClaim]);
      const role = (['reviewer', 'onboarding', 'issuer'] as const).find((r) => groups.includes(r));
      if (!role) return { ok: false, code: 'ROLE_MISSING', detail: `This identity is in none of the groups ${ROLES.join(', ')}; ask an administrator to add it to one.` };
      if (role !== 'issuer') return { ok: true, principal: { role, subject } };
      if (claims.token_use !== 'id') {
        return { ok: false, code: 'TOKEN_INVALID', detail: `Issuers sign in with their ID token (it carries ${issuerIdClaim}, set by an administrator); this token is not one.` };
      }
      const issuerId = claims[issuerIdClaim];
      if (typeof issuerId !== 'string' || !ID_RE.test(issuerId)) {
        return { ok: false, code: 'ROLE_MISSING', detail: `This issuer identity has no valid ${issuerIdClaim}; ask an administrator to set it.` };
      }
      return { ok: true, principal: { role, subject, issuerId } };
    },
  };
}

function claimsOf(event: unknown): Claims | undefined {
  const claims = (event as { requestContext?: { authorizer?: { jwt?: { claims?: unknown } } } } | undefined)?.requestContext?.authorizer?.jwt?.claims;
  return claims && typeof claims === 'object' ? (claims as Claims) : undefined;
}

/**
 * HTTP API passes array claims as text such as `[reviewer issuer]`; a JSON array, a comma list
 * and a real array are accepted too.
 */
export function parseGroups(value: unknown): Role[] {
  let items: unknown[];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[') && text.includes('"')) {
      try {
        const parsed = JSON.parse(text) as unknown;
        items = Array.isArray(parsed) ? parsed : [];
      } catch {
        items = [];
      }
    } else {
      items = text.replace(/^\[|\]$/g, '').split(/[\s,]+/);
    }
  } else items = [];
  return items.filter((g): g is Role => typeof g === 'string' && (ROLES as readonly string[]).includes(g));
}
