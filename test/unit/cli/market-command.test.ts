/**
 * `dmbs market` and `dmbs dmbx` against an API on a loopback port (the app with the market
 * service over fakes): tables for people, --json for machines, usage errors exit 2, the API's
 * problems (an issuer key, a reused name) reach the user as one line.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDmbxCommand, runMarketCommand } from '../../../functions/cli/market-command.ts';
import { UsageError } from '../../../functions/cli/usage-error.ts';
import { marketApp } from '../../api/support/market-fakes.ts';

let server: ServerType;
let endpoint = '';
let dir = '';

beforeAll(async () => {
  const { app } = marketApp();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'dmbs-cli-market-'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

async function run(command: typeof runMarketCommand, args: string[], token = 'reviewer'): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b.toString()));
  const code = await command([...args, '--endpoint', endpoint, '--token', token], out);
  return { code, text };
}

describe('dmbs market', () => {
  it('exposures: a table by key with shares, and the page as JSON', async () => {
    const { code, text } = await run(runMarketCommand, ['exposures', '--by', 'tenantGroup']);
    expect(code).toBe(0);
    expect(text).toMatch(/exposure by tenantGroup: 2 deals, eligible balance 500000000\.00/);
    expect(text).toMatch(/KEY\s+LABEL\s+BALANCE\s+SHARE\s+DEALS/);
    expect(text).toMatch(/hyperscaler a\s+Hyperscaler A\s+250000000\.00\s+50\.00%\s+2/);
    const json = JSON.parse((await run(runMarketCommand, ['exposures', '--by', 'market', '--as-of', '2026-06-30', '--json'])).text);
    expect(json).toMatchObject({ asOf: '2026-06-30', dealCount: 2, items: [expect.objectContaining({ key: 'hyperscaler a', share: '0.500000' }), expect.anything(), expect.anything()], nextToken: null });
  });

  it('transition: quarters with due first', async () => {
    const { code, text } = await run(runMarketCommand, ['transition']);
    expect(code).toBe(0);
    expect(text.split('\n').slice(2, 4).map((l) => l.split(/\s{2,}/)[0])).toEqual(['due', '2027-Q1']);
  });

  it('usage errors throw UsageError (exit 2)', async () => {
    for (const args of [['exposures'], ['exposures', '--by', 'country'], ['exposures', '--by', 'market', '--as-of', '30/06/2026'], ['nothing'], ['transition', '--by', 'market']]) {
      await expect(run(runMarketCommand, args), args.join(' ')).rejects.toBeInstanceOf(UsageError);
    }
  });

  it('an issuer key is refused by the API, in one line', async () => {
    await expect(run(runMarketCommand, ['exposures', '--by', 'sponsor'], 'issuer')).rejects.toThrow(/ROLE_FORBIDDEN|reviewer and onboarding/);
  });
});

describe('dmbs dmbx', () => {
  it('create with a rulebook file, show, list; a reused name is refused', async () => {
    const rulebook = join(dir, 'rulebook.json');
    await writeFile(rulebook, JSON.stringify({ maxDeals: 1, caps: { market: 0.5 } }));
    const created = await run(runDmbxCommand, ['create', 'CLI-1', '--as-of', '2026-06-30', '--rulebook', rulebook]);
    expect(created.code).toBe(0);
    expect(created.text).toMatch(/DMBX series CLI-1 as of 2026-06-30 .*: 1 deals/);
    expect(created.text).toMatch(/1\s+acme\s+deal-1\s+2026-06-30\s+300000000\.00\s+1\.000000/);
    expect(created.text).toMatch(/CAP\s+LARGEST\s+SHARE\s+LIMIT\s+RESULT/);
    expect(created.text).toMatch(/market\s+\S+\s+100\.00%\s+50\.00%\s+FAIL/);
    const shown = JSON.parse((await run(runDmbxCommand, ['show', 'CLI-1', '--json'])).text);
    expect(shown).toMatchObject({ name: 'CLI-1', asOf: '2026-06-30', rulebook: { maxDeals: 1 } });
    expect((await run(runDmbxCommand, ['list'])).text).toMatch(/CLI-1\s+2026-06-30\s+1\s+2026-07-02T10:00:00\.000Z/);
    await expect(run(runDmbxCommand, ['create', 'CLI-1', '--as-of', '2026-06-30'])).rejects.toThrow(/already exists/);
  });

  it('usage errors: no --as-of, a bad name, an unreadable or invalid rulebook', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ not json');
    for (const args of [['create', 'X'], ['create', 'bad name', '--as-of', '2026-06-30'], ['create', 'X', '--as-of', '2026-06-30', '--rulebook', join(dir, 'missing.json')],
      ['create', 'X', '--as-of', '2026-06-30', '--rulebook', bad], ['show'], ['list', 'X'], ['frobnicate', 'X']]) {
      await expect(run(runDmbxCommand, args), args.join(' ')).rejects.toBeInstanceOf(UsageError);
    }
  });
});
