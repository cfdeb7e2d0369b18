/**
 * The two auth providers behind one Principal type: the local keys file (hashed tokens,
 * constant-time comparison against every key, reload on change, nothing secret in messages) and
 * the JWT claims API Gateway's authorizer passes in AWS.
 */
import * as crypto from 'node:crypto';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { createKeysFileAuth, hashToken, parseKeysFile, writeNewKeysFile } = await import('../../functions/api/keys-file-auth.ts');
const { createJwtClaimsAuth, parseGroups } = await import('../../functions/api/jwt-claims-auth.ts');

const TOKEN = 'a-plain-token-0123456789';
const HASHED = 'a-hashed-token-0123456789';
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmbs-keys-'));
  file = join(dir, 'keys.json');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));
beforeEach(async () => {
  await writeFile(file, JSON.stringify({ keys: [
    { token: TOKEN, role: 'reviewer', name: 'alice' },
    { tokenSha256: hashToken(HASHED).toString('hex'), role: 'issuer', issuerId: 'acme' },
    { token: 'onboarding-token-0123456789', role: 'onboarding' },
  ] }));
});

describe('keys file provider', () => {
  it('accepts plain and hashed keys and returns the principal', async () => {
    const auth = createKeysFileAuth({ path: file });
    expect(await auth.authenticate({ authorization: `Bearer ${TOKEN}` })).toEqual({ ok: true, principal: { role: 'reviewer', subject: 'alice' } });
    expect(await auth.authenticate({ authorization: `bearer ${HASHED}` })).toEqual({ ok: true, principal: { role: 'issuer', subject: 'key 2', issuerId: 'acme' } });
  });

  it('tells a missing or malformed header from an unknown token', async () => {
    const auth = createKeysFileAuth({ path: file });
    expect(await auth.authenticate({ authorization: undefined })).toMatchObject({ ok: false, code: 'TOKEN_MISSING' });
    expect(await auth.authenticate({ authorization: `Basic ${TOKEN}` })).toMatchObject({ ok: false, code: 'TOKEN_MISSING' });
    expect(await auth.authenticate({ authorization: 'Bearer ' })).toMatchObject({ ok: false, code: 'TOKEN_MISSING' });
    const wrong = await auth.authenticate({ authorization: `Bearer ${TOKEN}x` });
    expect(wrong).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect(JSON.stringify(wrong)).not.toContain(TOKEN);
  });

  it('compares SHA-256 digests with timingSafeEqual against every key, match or not', async () => {
    const auth = createKeysFileAuth({ path: file });
    const spy = vi.mocked(crypto.timingSafeEqual);
    for (const token of [TOKEN, HASHED, 'nobody-knows-this-token-123']) {
      spy.mockClear();
      await auth.authenticate({ authorization: `Bearer ${token}` });
      expect(spy).toHaveBeenCalledTimes(3);
      for (const [a, b] of spy.mock.calls) {
        expect((a as Buffer).length).toBe(32);
        expect((b as Buffer).length).toBe(32);
      }
    }
  });

  it('re-reads the file when it changes; a broken change keeps the old keys and logs no token', async () => {
    const logs: string[] = [];
    const auth = createKeysFileAuth({ path: file, log: (_l, m) => logs.push(m) });
    await writeFile(file, JSON.stringify({ keys: [{ token: 'fresh-token-0123456789ab', role: 'onboarding' }] }));
    expect(await auth.authenticate({ authorization: 'Bearer fresh-token-0123456789ab' })).toMatchObject({ ok: true, principal: { role: 'onboarding' } });
    expect(await auth.authenticate({ authorization: `Bearer ${TOKEN}` })).toMatchObject({ ok: false });
    await writeFile(file, JSON.stringify({ keys: [{ token: 'secret-but-bad-role-123456', role: 'admin' }] }));
    expect(await auth.authenticate({ authorization: 'Bearer fresh-token-0123456789ab' })).toMatchObject({ ok: true });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/keys\[0\]: role must be one of/);
    expect(logs[0]).not.toContain('secret-but-bad-role');
  });

  it.each([
    [{ keys: [{ token: 'short', role: 'reviewer' }] }, /at least 16 characters/],
    [{ keys: [{ token: TOKEN, tokenSha256: 'a'.repeat(64), role: 'reviewer' }] }, /exactly one of "token" and "tokenSha256"/],
    [{ keys: [{ tokenSha256: 'xyz', role: 'reviewer' }] }, /64 hex characters/],
    [{ keys: [{ token: TOKEN, role: 'issuer' }] }, /needs an issuerId/],
    [{ keys: [{ token: TOKEN, role: 'reviewer', issuerId: 'acme' }] }, /only for issuer keys/],
    [{ keys: [{ token: TOKEN, role: 'reviewer', extra: 1 }] }, /unknown property "extra"/],
    [{ nokeys: [] }, /no "keys" array/],
  ])('refuses an invalid file, naming the entry but not the token: %j', (doc, message) => {
    let error: Error | undefined;
    try {
      parseKeysFile(JSON.stringify(doc), 'keys.json');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain(TOKEN);
    expect(error).toMatchObject({ code: 'KEYS_INVALID' }); // a coded error: the CLI and `npm start` show it as one line
  });

  it('fails at start when the file is missing or not JSON', async () => {
    expect(() => createKeysFileAuth({ path: join(dir, 'missing.json') })).toThrow(/ENOENT/);
    await writeFile(join(dir, 'bad.json'), '{');
    expect(() => createKeysFileAuth({ path: join(dir, 'bad.json') })).toThrow(/not valid JSON/);
  });

  it('writeNewKeysFile stores digests only and returns the tokens once', async () => {
    const path = join(dir, 'new', 'keys.json');
    const tokens = await writeNewKeysFile(path, { issuerId: 'demo' });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(tokens.reviewer);
    expect(text).not.toContain(tokens.issuer);
    const auth = createKeysFileAuth({ path });
    expect(await auth.authenticate({ authorization: `Bearer ${tokens.issuer}` })).toMatchObject({ ok: true, principal: { role: 'issuer', issuerId: 'demo' } });
    await expect(writeNewKeysFile(path)).rejects.toThrow(/EEXIST/);
  });
});

describe('JWT claims provider', () => {
  const event = (claims?: Record<string, unknown>) => ({ requestContext: { authorizer: claims ? { jwt: { claims } } : undefined } });
  const auth = createJwtClaimsAuth();

  it('maps Cognito groups to one role, strongest first', async () => {
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ sub: 's', 'cognito:groups': '[issuer reviewer]' }) }))
      .toEqual({ ok: true, principal: { role: 'reviewer', subject: 's' } });
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ sub: 's', token_use: 'id', 'cognito:groups': '[issuer]', 'custom:issuerId': 'acme' }) }))
      .toEqual({ ok: true, principal: { role: 'issuer', subject: 's', issuerId: 'acme' } });
  });

  it('needs claims (401), a known group and an issuer id for issuers (403)', async () => {
    expect(await auth.authenticate({ authorization: undefined, lambdaEvent: event() })).toMatchObject({ ok: false, code: 'TOKEN_MISSING' });
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event() })).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ 'cognito:groups': '[admins]' }) })).toMatchObject({ ok: false, code: 'ROLE_MISSING' });
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ token_use: 'id', 'cognito:groups': '[issuer]' }) })).toMatchObject({ ok: false, code: 'ROLE_MISSING' });
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ token_use: 'id', 'cognito:groups': '[issuer]', 'custom:issuerId': '../x' }) })).toMatchObject({ ok: false, code: 'ROLE_MISSING' });
  });

  it('trusts an issuer id only from an ID token, where it is the pool\'s admin-set immutable attribute', async () => {
    const issuer = { sub: 's', 'cognito:groups': '[issuer]', 'custom:issuerId': 'acme' };
    // An access token carries no user attributes: an issuer claim in one was not set by the pool's administrator.
    const access = await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ ...issuer, token_use: 'access' }) });
    expect(access).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect(access.ok ? '' : access.detail).toMatch(/ID token/);
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event(issuer) })).toMatchObject({ ok: false, code: 'TOKEN_INVALID' });
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ ...issuer, token_use: 'id', 'custom:issuerId': ['acme', 'bravo'] }) }))
      .toMatchObject({ ok: false, code: 'ROLE_MISSING' });
    // Reviewers and onboarding carry no issuer id: their group claim (admin-managed) is in either token.
    expect(await auth.authenticate({ authorization: 'Bearer x', lambdaEvent: event({ sub: 's', token_use: 'access', 'cognito:groups': '[reviewer]' }) }))
      .toEqual({ ok: true, principal: { role: 'reviewer', subject: 's' } });
  });

  it('reads the group claim in every shape API Gateway may pass', () => {
    expect(parseGroups('[reviewer issuer]')).toEqual(['reviewer', 'issuer']);
    expect(parseGroups('["onboarding"]')).toEqual(['onboarding']);
    expect(parseGroups('reviewer,issuer')).toEqual(['reviewer', 'issuer']);
    expect(parseGroups(['issuer', 'x'])).toEqual(['issuer']);
    expect(parseGroups(undefined)).toEqual([]);
  });
});
