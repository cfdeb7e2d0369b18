/**
 * The API over tapes scored with loan keys and loan pages answers exactly what it answers over
 * tapes scored before them (the old routes: the canonical loans streamed for compare, the loan
 * results scanned for a page): two generated versions of a deal with loans added, removed,
 * changed and duplicated, compared both ways and paged through with every filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import type { TapeRecord } from '../../functions/aws/results-repository.ts';
import { createApp } from '../../functions/api/app.ts';
import type { Comparison, LoanPage } from '../../functions/api/generated/api.ts';
import type { ApiDeps, ArtifactReader, ResultsReader } from '../../functions/api/ports.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../integration/support/embedded-aws.ts';
import { uploadAndRun } from './support/api-stack.ts';

let aws: EmbeddedAws;
let v1: string;
let v2: string;
const read: string[] = [];

/** As a tape scored before loan keys and loan pages existed is recorded. */
const legacy = (tape: TapeRecord | undefined): TapeRecord | undefined => {
  if (!tape?.artifacts) return tape;
  const { loanKeys: _k, loanPages: _p, loanPagesIndex: _i, ...artifacts } = tape.artifacts;
  return { ...tape, artifacts };
};

function app(old: boolean) {
  const results: ResultsReader = {
    getTape: async (id) => (old ? legacy(await aws.results.getTape(id)) : aws.results.getTape(id)),
    listTapesByDeal: (...a) => aws.results.listTapesByDeal(...a),
    listDealsByIssuer: (...a) => aws.results.listDealsByIssuer(...a),
    listDeals: (...a) => aws.results.listDeals(...a),
    getDeal: (...a) => aws.results.getDeal(...a),
    listTapesByStatus: (...a) => aws.results.listTapesByStatus(...a),
    dealKind: (...a) => aws.results.dealKind(...a),
  };
  // Records which objects each request reads.
  const artifacts: ArtifactReader = {
    open: (o) => { read.push(o.key); return aws.store.open(o); },
    getJson: <T,>(k: string) => { read.push(k); return aws.store.getJson<T>(k); },
    readLines: (k, o) => { read.push(k); return aws.store.readLines(k, o); },
    readRange: (k, a, b) => { read.push(`${k}@${a}-${b}`); return aws.store.readRange(k, a, b); },
  };
  const deps: ApiDeps = {
    results, artifacts,
    presigner: { presignPut: async () => ({ url: 'http://s3/x', headers: {} }) },
    auth: { authenticate: () => ({ ok: true, principal: { role: 'reviewer', subject: 'test' } }) },
  };
  const hono = createApp(deps);
  return async <T,>(path: string): Promise<T> => {
    const res = await hono.request(path, { headers: { authorization: 'Bearer x' } });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as T;
  };
}

beforeAll(async () => {
  aws = await startEmbeddedAws();
  // v1: 300 loans with duplicated ids and broken rows. v2: 20 loans removed, 15 added, 30
  // balances changed, and a duplicate whose first row carries another balance than v1's.
  const rows = generateTape({ rows: 300, seed: 41, brokenShare: 0.06, dealId: 'deal-5' }).rows;
  const added = generateTape({ rows: 15, seed: 42, dealId: 'deal-5' }).rows;
  const next = rows.slice(20).map((r) => ({ ...r }));
  for (let i = 0; i < 30; i++) {
    const r = next[i * 9]!;
    if (/^\d+(\.\d+)?$/.test(r.currentBalance)) r.currentBalance = (Number(r.currentBalance) + i * 1000.25).toFixed(2);
  }
  next.splice(40, 0, { ...next[60]!, currentBalance: '123456.78' });
  next.splice(100, 0, ...added);
  v1 = await uploadAndRun(aws, 'incoming/acme/deal-5/v1.csv', toCsv(rows));
  v2 = await uploadAndRun(aws, 'incoming/acme/deal-5/v2.csv', toCsv(next));
}, 60_000);
afterAll(async () => aws?.stop());

describe('compare over loan keys', () => {
  it('answers what the old route answers, any list limit, and reads no canonical loans', async () => {
    const fresh = app(false);
    const old = app(true);
    for (const limit of [0, 3, 1000]) {
      for (const [a, b] of [[v1, v2], [v2, v1], [v1, v1]]) {
        const path = `/v1/deals/deal-5/compare?issuerId=acme&from=${a}&to=${b}&limit=${limit}`;
        read.length = 0;
        const got = await fresh<Comparison>(path);
        expect(read.some((k) => k.endsWith('loan-keys.tsv.gz'))).toBe(true);
        expect(read.some((k) => k.endsWith('loans.ndjson.gz'))).toBe(false);
        read.length = 0;
        const want = await old<Comparison>(path);
        expect(read.some((k) => k.endsWith('loans.ndjson.gz'))).toBe(true);
        expect(got).toEqual(want);
      }
    }
    const c = await fresh<Comparison>(`/v1/deals/deal-5/compare?issuerId=acme&from=${v1}&to=${v2}&limit=1000`);
    expect(c.loans.counts).toMatchObject({ added: 15, removed: 20 });
    expect(c.loans.counts.changedBalance).toBeGreaterThanOrEqual(25);
    expect(c.loans.changed.some((l) => l.to === '123456.78')).toBe(true);
  });
});

describe('loan pages', () => {
  const filters = ['', 'eligible=true', 'eligible=false', 'criterion=E05', 'criterion=E02', 'eligible=false&criterion=E06', 'eligible=true&criterion=E05', 'criterion=E10'];
  it('give every page the old scan gives, tokens included, reading the index and a few blocks', async () => {
    const fresh = app(false);
    const old = app(true);
    const found: Record<string, number> = {};
    for (const filter of filters) {
      for (const limit of [4, 1000]) {
        let token: string | null = null;
        let pages = 0;
        do {
          const path: string = `/v1/tapes/${v2}/loans?limit=${limit}${filter ? `&${filter}` : ''}${token ? `&nextToken=${token}` : ''}`;
          read.length = 0;
          const got: LoanPage = await fresh<LoanPage>(path);
          expect(read.some((k) => k.includes('loan-results'))).toBe(false);
          expect(read.filter((k) => k.includes('loan-pages.bin@')).length).toBeLessThanOrEqual(3);
          const want = await old<LoanPage>(path);
          expect(got).toEqual(want);
          if (limit === 1000) found[filter] = (found[filter] ?? 0) + got.items.length;
          token = got.nextToken;
          pages++;
        } while (token !== null && pages < 6);
      }
    }
    // The lists are not empty where loans exist (so the comparison above compares something).
    expect(found['']).toBeGreaterThan(250);
    expect(found['eligible=true']).toBeGreaterThan(0);
    expect(found['eligible=false']).toBeGreaterThan(0);
    expect(found['criterion=E05']! + found['criterion=E02']! + found['eligible=false&criterion=E06']!).toBeGreaterThan(0);
  });
});
