/**
 * The CLI's API client against a tiny HTTP server on 127.0.0.1: 429 and 503 are sent again after
 * Retry-After (seconds or an HTTP date) or a growing backoff, a bounded number of times, then fail
 * with one sentence; other failures are not repeated. Waits are recorded, not slept.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, ApiRequestError, MAX_RETRY_WAIT_MS, retryAfterMs } from '../../../functions/cli/api-client.ts';
import { runStatusCommand } from '../../../functions/cli/status-command.ts';

interface Answer { status: number; headers?: Record<string, string>; body?: unknown }
let answers: Answer[] = [];
let seen: { method: string; url: string; body: string }[] = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const c of req) body += String(c);
    seen.push({ method: req.method!, url: req.url!, body });
    const a = answers.shift() ?? { status: 500, body: { code: 'INTERNAL', detail: 'no answer scripted' } };
    res.writeHead(a.status, { 'content-type': a.status < 300 ? 'application/json' : 'application/problem+json', ...a.headers });
    res.end(JSON.stringify(a.body ?? {}));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  answers = [];
  seen = [];
});

function client(attempts?: number) {
  const waits: number[] = [];
  const notices: string[] = [];
  const api = new ApiClient({ endpoint, token: 't', local: false }, {
    ...(attempts ? { attempts } : {}), sleep: async (ms) => void waits.push(ms), notice: (l) => void notices.push(l),
  });
  return { api, waits, notices };
}
const busy = (status: number, retryAfter?: string): Answer => ({
  status, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter }, body: { code: status === 429 ? 'THROTTLED' : 'UNAVAILABLE', detail: 'busy' },
});

describe('ApiClient retries 429 and 503', () => {
  it('waits Retry-After seconds, then returns the answer', async () => {
    answers = [busy(503, '0'), busy(429, '2'), { status: 200, body: { ok: 1 } }];
    const { api, waits, notices } = client();
    expect(await api.get('/v1/x')).toEqual({ ok: 1 });
    expect(seen.map((s) => s.url)).toEqual(['/v1/x', '/v1/x', '/v1/x']);
    expect(waits).toEqual([0, 2000]);
    expect(notices[1]).toBe('dmbs: GET /v1/x: HTTP 429, trying again in 2.0 s (attempt 3 of 5)');
  });

  it('honours Retry-After as an HTTP date, and repeats a POST with its body', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 10_000);
    answers = [busy(503, at.toUTCString()), { status: 201, body: { key: 'k' } }];
    const { api, waits } = client();
    expect(await api.post('/v1/deals/d/tapes', { fileName: 'a.csv', size: 1 })).toEqual({ key: 'k' });
    expect(seen.map((s) => [s.method, s.body])).toEqual([['POST', '{"fileName":"a.csv","size":1}'], ['POST', '{"fileName":"a.csv","size":1}']]);
    expect(waits[0]).toBeGreaterThan(5000); // (not the first backoff, 500-625 ms)
    expect(waits[0]).toBeLessThanOrEqual(10_000);
  });

  it('without Retry-After backs off more each time, then fails with one sentence after the last attempt', async () => {
    answers = Array.from({ length: 4 }, () => busy(503));
    const { api, waits } = client(4);
    const error = await api.get('/v1/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 503, code: 'UNAVAILABLE', message: 'GET /v1/x: busy (HTTP 503 4 times; try again later)' });
    expect(seen).toHaveLength(4);
    expect(waits).toHaveLength(3);
    for (const [i, w] of waits.entries()) {
      expect(w).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(w).toBeLessThanOrEqual(500 * 2 ** i * 1.25);
    }
  });

  it('does not wait for a Retry-After beyond the limit: fails at once saying when to try', async () => {
    answers = [busy(429, String(MAX_RETRY_WAIT_MS / 1000 + 60))];
    const { api, waits } = client();
    await expect(api.get('/v1/x')).rejects.toThrow(/HTTP 429; the API asks to wait 120 s: try again then/);
    expect(waits).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('other failures are not repeated', async () => {
    answers = [{ status: 500, body: { code: 'INTERNAL', detail: 'boom' } }];
    const { api } = client();
    await expect(api.get('/v1/x')).rejects.toMatchObject({ status: 500, message: 'GET /v1/x: boom' });
    expect(seen).toHaveLength(1);
  });

  it('a command (dmbs status) rides over a busy API', async () => {
    const tape = { tapeId: 'a'.repeat(32), status: 'FAILED', fileName: 'x.csv' };
    answers = [busy(503, '0'), { status: 200, body: { ...tape, failure: { code: 'X', message: 'm' } } }];
    const chunks: string[] = [];
    const out = { write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream;
    const code = await runStatusCommand([tape.tapeId, '--json', '--endpoint', endpoint, '--token', 't'], out);
    expect(code).toBe(1);
    expect(JSON.parse(chunks.join(''))).toMatchObject(tape);
    expect(seen).toHaveLength(2);
  });
});

describe('retryAfterMs', () => {
  it('reads delta-seconds and HTTP dates; ignores what it cannot read', () => {
    const now = Date.parse('2026-12-06T20:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Sun, 06 Dec 2026 20:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Sun, 06 Dec 2026 19:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-3', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
