/**
 * Behaviour every backend of the adapters must show, run against the embedded emulators
 * (s3rver, dynalite) and, when it is on PATH, moto_server. Each suite gets its adapters from a
 * getter filled in by the caller's beforeAll.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { TapeObjectError } from '../../../functions/core/errors.ts';
import type { DynamoResultsRepository } from '../../../functions/aws/results-repository.ts';
import type { S3TapeStore } from '../../../functions/aws/s3-tape-store.ts';
import type { PipelineEvent, TapeResultSummary } from '../../../functions/pipeline/ports.ts';
import type { TapeObject } from '../../../functions/pipeline/state.ts';

export interface StoreBackend {
  readonly store: S3TapeStore;
  readonly s3: S3Client;
  readonly bucket: string;
  /** Part size the store was built with (multipart kicks in above it). */
  readonly partSizeBytes: number;
}

const collect = async (source: AsyncIterable<Uint8Array>) => {
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
};

let unique = 0;
const uniqueKey = (prefix: string, name: string) => `${prefix}${Date.now().toString(36)}-${unique++}/${name}`;

export function tapeStoreContract(name: string, get: () => StoreBackend): void {
  describe(`S3TapeStore on ${name}`, () => {
    it('streams an object back byte for byte, in chunks of at most one MiB plus one read', async () => {
      const { store, s3, bucket } = get();
      const bytes = Buffer.alloc(3 * 1024 * 1024 + 123);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 11)) & 0xff;
      const key = uniqueKey('incoming/', 'tape.csv');
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
      const source = await store.open({ key, versionId: put.VersionId ?? null, eTag: put.ETag?.replace(/"/g, '') ?? null });
      expect((await collect(source)).equals(bytes)).toBe(true);
    });

    it('writes a multipart NDJSON.gz artifact with backpressure and reads its lines back', async () => {
      const { store, partSizeBytes } = get();
      const key = uniqueKey('reports/', 'loans.ndjson.gz');
      const w = store.createWriter(key, { contentType: 'application/x-ndjson', gzip: true });
      // Random-looking lines so gzip cannot shrink them below one part: forces a real multipart upload.
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32).toString(36).slice(2);
      const lines: string[] = [];
      let bytes = 0;
      while (bytes < partSizeBytes * 1.3) {
        const line = JSON.stringify({ row: lines.length + 2, loan: { loanId: `L-${lines.length}`, note: rnd() + rnd() + rnd() + rnd() } });
        lines.push(line);
        bytes += line.length + 1;
        w.write(`${line}\n`);
        if (w.needsDrain) await w.ready();
      }
      expect((await w.end()).bytes).toBe(bytes);
      const back: string[] = [];
      for await (const l of store.readLines(key, { gzip: true })) back.push(l);
      expect(back.length).toBe(lines.length);
      expect(back[0]).toBe(lines[0]);
      expect(back.at(-1)).toBe(lines.at(-1));
    });

    it('writes an empty artifact', async () => {
      const { store } = get();
      const key = uniqueKey('reports/', 'findings.ndjson');
      const w = store.createWriter(key, { contentType: 'application/x-ndjson' });
      expect(await w.end()).toEqual({ bytes: 0 });
      const back: string[] = [];
      for await (const l of store.readLines(key)) back.push(l);
      expect(back).toEqual([]);
    });

    it('writes gzip members as bytes beside text and reads any byte range back', async () => {
      const { store } = get();
      const key = uniqueKey('reports/', 'loan-pages.bin');
      const w = store.createWriter(key, { contentType: 'application/octet-stream' });
      const parts = [gzipSync('first block\n'), Buffer.from('text between\n'), gzipSync('second block\n')];
      w.writeBytes(parts[0]!);
      w.write('text between\n');
      w.writeBytes(parts[2]!);
      const all = Buffer.concat(parts);
      expect(await w.end()).toEqual({ bytes: all.length });
      const at = parts[0]!.length + parts[1]!.length;
      expect(gunzipSync(await store.readRange(key, at, all.length)).toString()).toBe('second block\n');
      expect(Buffer.from(await store.readRange(key, 0, parts[0]!.length)).equals(parts[0]!)).toBe(true);
      expect(Buffer.from(await store.readRange(key, 3, 3)).length).toBe(0);
      await expect(store.readRange(uniqueKey('reports/', 'missing.bin'), 0, 10)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    });

    it('puts and gets JSON, deletes objects (missing ones too)', async () => {
      const { store } = get();
      const key = uniqueKey('reports/', 'report.json');
      await store.putJson(key, { schemaVersion: 'dmbs-report/1', n: 1, text: 'Zürich ✓' });
      expect(await store.getJson(key)).toEqual({ schemaVersion: 'dmbs-report/1', n: 1, text: 'Zürich ✓' });
      expect(await store.deleteObjects([key, `${key}.missing`])).toBe(2);
      await expect(store.getJson(key)).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    });

    it('a missing tape is OBJECT_NOT_FOUND with a sentence for people', async () => {
      const { store } = get();
      const error = await store.open({ key: 'incoming/acme/deal-1/never-uploaded.csv' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TapeObjectError);
      expect((error as TapeObjectError).message).toMatch(/was deleted before it could be read; upload it again/);
    });

    it('bytes replaced since the notification (ETag differs) are refused, not read', async () => {
      const { store, s3, bucket } = get();
      const key = uniqueKey('incoming/', 'tape.csv');
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'first' }));
      const error = await store.open({ key, eTag: '0123456789abcdef0123456789abcdef' }).then(collect).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'OBJECT_NOT_FOUND' });
      expect((error as Error).message).toMatch(/replaced before it could be read/);
    });
  });
}

export interface RepositoryBackend {
  readonly results: DynamoResultsRepository;
}

const summary = (over: Partial<TapeResultSummary> = {}): TapeResultSummary => ({
  sha256: 'a'.repeat(64), format: 'csv', reportingDate: '2026-10-31', rowCount: 3, validRowCount: 3, invalidRowCount: 0,
  errorCount: 0, warningCount: 0, dataQualityScore: '100.00', eligibleCount: 2, ineligibleCount: 1, eligibleBalance: '10.00',
  scorePoints: '80.000000', scoreBand: 'AA range', failedTests: [], ...over,
});

export function repositoryContract(name: string, get: () => RepositoryBackend): void {
  describe(`DynamoResultsRepository on ${name}`, () => {
    let n = 0;
    const fresh = () => {
      const id = randomBytes(16).toString('hex');
      const issuerId = `issuer-${id.slice(0, 8)}`;
      n++;
      const tape = { issuerId, dealId: 'deal-1', fileName: 'tape.csv' };
      const object: TapeObject = { bucket: 'dmbs-tapes', key: `incoming/${issuerId}/deal-1/tape.csv`, versionId: `v${id}`, eTag: 'e', size: 10, eventTime: `2026-11-0${1 + (n % 8)}T10:00:00.000Z` };
      return { tapeId: id, tape, object };
    };
    const T = '2026-11-25T12:00:00.000Z';

    it('claims an object version once: the same run may resume, another run is a duplicate', async () => {
      const { results } = get();
      const { tapeId, tape, object } = fresh();
      expect(await results.receiveTape({ tapeId, runId: 'run-a', object, tape, now: T })).toEqual({ outcome: 'claimed', status: 'RECEIVED' });
      expect(await results.receiveTape({ tapeId, runId: 'run-a', object, tape, now: T })).toEqual({ outcome: 'claimed', status: 'RECEIVED' });
      expect(await results.receiveTape({ tapeId, runId: 'run-b', object, tape, now: T })).toEqual({ outcome: 'duplicate', status: 'RECEIVED', runId: 'run-a' });
      expect(await results.getDeal(tape.issuerId, tape.dealId)).toMatchObject({ issuerId: tape.issuerId, dealId: 'deal-1' });
    });

    it('moves status only forward and only for the owning run', async () => {
      const { results } = get();
      const { tapeId, tape, object } = fresh();
      await results.receiveTape({ tapeId, runId: 'run-a', object, tape, now: T });
      await results.setStatus(tapeId, 'run-a', 'VALIDATING', T);
      await results.setStatus(tapeId, 'run-a', 'VALIDATING', T); // a retried step
      await expect(results.setStatus(tapeId, 'run-b', 'EVALUATING', T)).rejects.toThrow(/owned by run run-a; run run-b cannot move it/);
      await expect(results.setStatus(tapeId, 'run-a', 'SCORING', T)).rejects.toThrow(/is VALIDATING/);
      await results.setStatus(tapeId, 'run-a', 'EVALUATING', T);
      await results.setStatus(tapeId, 'run-a', 'SCORING', T);
      expect((await results.getTape(tapeId))?.status).toBe('SCORING');
      expect((await results.listTapesByStatus('SCORING', { limit: 100 })).items.map((t) => t.tapeId)).toContain(tapeId);
    });

    it('makes results visible in one final write, idempotently for its run', async () => {
      const { results } = get();
      const { tapeId, tape, object } = fresh();
      await results.receiveTape({ tapeId, runId: 'run-a', object, tape, now: T });
      for (const s of ['VALIDATING', 'EVALUATING'] as const) await results.setStatus(tapeId, 'run-a', s, T);
      const artifacts = { report: 'r', findings: 'f', loans: 'l', loanResults: 'lr' };
      await expect(results.publishScored(tapeId, 'run-a', { summary: summary(), artifacts }, T)).rejects.toThrow(/is EVALUATING/);
      expect((await results.getTape(tapeId))?.summary).toBeUndefined();
      await results.setStatus(tapeId, 'run-a', 'SCORING', T);
      expect(await results.publishScored(tapeId, 'run-a', { summary: summary(), artifacts }, T)).toBe(true);
      expect(await results.publishScored(tapeId, 'run-a', { summary: summary(), artifacts }, T)).toBe(false);
      const stored = await results.getTape(tapeId);
      expect(stored).toMatchObject({ tapeId, status: 'SCORED', summary: summary(), artifacts, issuerId: tape.issuerId, object: { key: object.key, versionId: object.versionId } });
      expect(stored).not.toHaveProperty('PK');
      // A failure after the final write (e.g. the event) does not take the results back.
      expect(await results.markFailed({ tapeId, runId: 'run-a', object, tape, failure: { code: 'INTERNAL', message: 'x', userError: false }, now: T })).toBe('SCORED');
      expect((await results.getTape(tapeId))?.status).toBe('SCORED');
    });

    it('marks FAILED with the reason; never a tape another run owns', async () => {
      const { results } = get();
      const { tapeId, tape, object } = fresh();
      await results.receiveTape({ tapeId, runId: 'run-a', object, tape, now: T });
      const failure = { code: 'TAPE_EMPTY', message: 'the file is empty; a tape needs a header row and one row per loan', userError: true };
      expect(await results.markFailed({ tapeId, runId: 'run-b', object, tape, failure, now: T })).toBe('not-owner');
      expect(await results.markFailed({ tapeId, runId: 'run-a', object, tape, failure, now: T })).toBe('failed');
      expect(await results.getTape(tapeId)).toMatchObject({ status: 'FAILED', failure });
      // A tape nobody could claim (the claim itself failed) is still recorded.
      const other = fresh();
      expect(await results.markFailed({ tapeId: other.tapeId, runId: 'run-c', object: other.object, failure, now: T })).toBe('failed');
      expect(await results.getTape(other.tapeId)).toMatchObject({ status: 'FAILED', runId: 'run-c', object: { key: other.object.key } });
    });

    it('content markers: the first live tape owns the bytes, a failed owner hands them over', async () => {
      const { results } = get();
      const a = fresh();
      const b = { ...fresh(), tape: a.tape };
      const c = { ...fresh(), tape: a.tape };
      for (const t of [a, b, c]) await results.receiveTape({ tapeId: t.tapeId, runId: `run-${t.tapeId}`, object: t.object, tape: t.tape, now: T });
      const sha = `${a.tapeId}${a.tapeId}`;
      expect(await results.claimContent(a.tape, sha, a.tapeId, T)).toEqual({ ownerTapeId: a.tapeId });
      expect(await results.claimContent(a.tape, sha, a.tapeId, T)).toEqual({ ownerTapeId: a.tapeId });
      expect(await results.claimContent(a.tape, sha, b.tapeId, T)).toEqual({ ownerTapeId: a.tapeId });
      await results.setStatus(b.tapeId, `run-${b.tapeId}`, 'VALIDATING', T);
      await results.markDuplicate(b.tapeId, `run-${b.tapeId}`, a.tapeId, T);
      expect(await results.getTape(b.tapeId)).toMatchObject({ status: 'DUPLICATE', duplicateOf: a.tapeId });
      const listed = (await results.listTapesByDeal(a.tape.issuerId, a.tape.dealId)).items.map((t) => t.tapeId);
      expect(listed).not.toContain(b.tapeId);
      expect(listed).toEqual(expect.arrayContaining([a.tapeId, c.tapeId]));
      expect(await results.failDuplicatesOf(a.tapeId, T)).toEqual([]); // a live original: nothing to fail
      await results.markFailed({ tapeId: a.tapeId, runId: `run-${a.tapeId}`, object: a.object, tape: a.tape, failure: { code: 'INTERNAL', message: 'x', userError: false }, now: T });
      expect(await results.claimContent(a.tape, sha, c.tapeId, T)).toEqual({ ownerTapeId: c.tapeId });
      // The failed original's duplicate fails with it, once.
      const failed = await results.failDuplicatesOf(a.tapeId, T);
      expect(failed).toMatchObject([{ tapeId: b.tapeId, tape: b.tape, object: { key: b.object.key }, failure: { code: 'INTERNAL', userError: false } }]);
      expect(await results.getTape(b.tapeId)).toMatchObject({ status: 'FAILED', duplicateOf: a.tapeId, failure: failed[0]!.failure });
      expect(await results.getTape(a.tapeId)).not.toHaveProperty('duplicates');
      expect(await results.failDuplicatesOf(a.tapeId, T)).toEqual([]);
    });

    it('keeps a scored tape\'s event in its outbox until it is published', async () => {
      const { results } = get();
      const { tapeId, tape, object } = fresh();
      await results.receiveTape({ tapeId, runId: 'run-a', object, tape, now: T });
      for (const s of ['VALIDATING', 'EVALUATING', 'SCORING'] as const) await results.setStatus(tapeId, 'run-a', s, T);
      const event = { type: 'TapeScored', detail: { tapeId, schemaVersion: 'dmbs-tape-scored/1' } } as unknown as PipelineEvent;
      expect(await results.publishScored(tapeId, 'run-a', { summary: summary(), artifacts: { report: 'r', findings: 'f', loans: 'l', loanResults: 'lr' }, event }, T)).toBe(true);
      const owed = async (before: string) => (await results.pendingEvents({ scoredBefore: before, limit: 1000 })).filter((p) => p.tapeId === tapeId);
      expect(await owed(T)).toEqual([]); // scored at T, not before it
      expect(await owed('2026-11-25T12:00:01.000Z')).toEqual([{ tapeId, event }]);
      expect(await results.getTape(tapeId)).not.toHaveProperty('outbox');
      await results.eventPublished(tapeId);
      await results.eventPublished(tapeId); // a second clear is a no-op
      expect(await owed('2026-11-25T12:00:01.000Z')).toEqual([]);
      expect((await results.getTape(tapeId))?.status).toBe('SCORED');
      expect((await results.listTapesByStatus('SCORED', { limit: 1000 })).items.map((t) => t.tapeId)).toContain(tapeId);
    });

    it('keeps a tape\'s following events (LoansWatchlisted) in the same outbox, in order, cleared together', async () => {
      const { results } = get();
      const { tapeId, tape, object } = fresh();
      await results.receiveTape({ tapeId, runId: 'run-a', object, tape, now: T });
      for (const s of ['VALIDATING', 'EVALUATING', 'SCORING'] as const) await results.setStatus(tapeId, 'run-a', s, T);
      const event = { type: 'TapeScored', detail: { tapeId } } as unknown as PipelineEvent;
      const watched = { type: 'LoansWatchlisted', detail: { tapeId, loanCount: 3 } } as unknown as PipelineEvent;
      await results.publishScored(tapeId, 'run-a', { summary: summary(), artifacts: { report: 'r', findings: 'f', loans: 'l', loanResults: 'lr' }, event, followingEvents: [watched] }, T);
      const owed = async () => (await results.pendingEvents({ scoredBefore: '2026-11-25T12:00:01.000Z', limit: 1000 })).filter((p) => p.tapeId === tapeId);
      expect(await owed()).toEqual([{ tapeId, event }, { tapeId, event: watched }]);
      await results.eventPublished(tapeId);
      expect(await owed()).toEqual([]);
    });

    it('lists a deal\'s tapes newest upload first, a page at a time; deals by issuer; latest only moves forward', async () => {
      const { results } = get();
      const base = fresh();
      const ids: string[] = [];
      for (let day = 1; day <= 5; day++) {
        const t = fresh();
        const object = { ...t.object, key: base.object.key, eventTime: `2026-10-0${day}T09:00:00.000Z` };
        await results.receiveTape({ tapeId: t.tapeId, runId: 'r', object, tape: base.tape, now: T });
        ids.push(t.tapeId);
      }
      const first = await results.listTapesByDeal(base.tape.issuerId, base.tape.dealId, { limit: 2 });
      expect(first.items.map((t) => t.tapeId)).toEqual([ids[4], ids[3]]);
      expect(first.cursor).toBeDefined();
      const second = await results.listTapesByDeal(base.tape.issuerId, base.tape.dealId, { limit: 10, cursor: first.cursor! });
      expect(second.items.map((t) => t.tapeId)).toEqual([ids[2], ids[1], ids[0]]);
      await expect(results.listTapesByDeal(base.tape.issuerId, base.tape.dealId, { cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);

      const latest = (tapeId: string, uploadedAt: string) => ({ tapeId, fileName: 'tape.csv', uploadedAt, reportingDate: null, dataQualityScore: '99.00', scorePoints: '70.000000', scoreBand: 'A range' });
      await results.recordDealTape(base.tape, latest(ids[3]!, '2026-10-04T09:00:00.000Z'), T);
      await results.recordDealTape(base.tape, latest(ids[1]!, '2026-10-02T09:00:00.000Z'), T); // older: ignored
      expect((await results.getDeal(base.tape.issuerId, base.tape.dealId))?.latest?.tapeId).toBe(ids[3]);
      const deals = await results.listDealsByIssuer(base.tape.issuerId);
      expect(deals.items).toEqual([expect.objectContaining({ issuerId: base.tape.issuerId, dealId: 'deal-1', latest: expect.objectContaining({ tapeId: ids[3] }) })]);
      expect((await results.listDeals({ limit: 1000 })).items.map((d) => d.issuerId)).toContain(base.tape.issuerId);
    });
  });
}
