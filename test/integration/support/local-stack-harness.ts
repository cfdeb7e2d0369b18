/**
 * The embedded local stack for one test file: free ports on 127.0.0.1, a temp data directory,
 * uploads through the real @aws-sdk/client-s3, and the API read with the keys the stack created.
 * `stop()` stops the stack and removes the directory (unless `keepDataDir`, for restart tests).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Tape } from '../../../functions/api/generated/api.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../functions/local/local-stack.ts';
import type { RunResult } from '../../../functions/local/local-runner.ts';
import { tapeIdFor } from '../../../functions/pipeline/tape-id.ts';

export interface TestStack {
  readonly stack: LocalStack;
  readonly dataDir: string;
  /** Every finished run, in order. */
  readonly runs: RunResult[];
  readonly reviewerToken: string;
  readonly issuerToken: string;
  /** PUTs an object through the SDK; returns the tape id the pipeline gives it. */
  upload(key: string, body: string | Uint8Array): Promise<{ tapeId: string; versionId: string | undefined }>;
  /** GET on the API with a token (reviewer by default); the parsed body and status. */
  api<T = unknown>(path: string, token?: string): Promise<{ status: number; body: T }>;
  /** Polls the tape until its status is final. */
  waitForFinal(tapeId: string, timeoutMs?: number): Promise<Tape>;
  stop(options?: { keepDataDir?: boolean }): Promise<void>;
}

export async function startTestStack(options: Partial<LocalStackOptions> & { dataDir?: string; tokens?: { reviewer: string; issuer: string } } = {}): Promise<TestStack> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'dmbs-local-')));
  const runs: RunResult[] = [];
  const stack = await startLocalStack({
    apiPort: 0, s3Port: 0, dynamoDbPort: 0, webPage: false, retrySleep: async () => undefined,
    ...options, dataDir, onRun: (r) => { runs.push(r); options.onRun?.(r); },
  });
  const tokens = stack.createdKeys ? { reviewer: stack.createdKeys.reviewer, issuer: stack.createdKeys.issuer } : options.tokens;
  if (!tokens) throw new Error('no tokens: pass the ones of the first start when restarting on the same data directory');
  const api = async <T,>(path: string, token = tokens.reviewer) => {
    const response = await fetch(`${stack.endpoints.api}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    stack, dataDir, runs, reviewerToken: tokens.reviewer, issuerToken: tokens.issuer, api,
    async upload(key, body) {
      const out = await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
      return { tapeId: tapeIdFor({ bucket: stack.bucket, key, versionId: out.VersionId ?? null, eTag: out.ETag ?? null }), versionId: out.VersionId };
    },
    async waitForFinal(tapeId, timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status, body } = await api<Tape>(`/v1/tapes/${tapeId}`);
        if (status === 200 && body.progress.final) return body;
        if (Date.now() > deadline) throw new Error(`tape ${tapeId} not final after ${timeoutMs} ms (HTTP ${status}, ${JSON.stringify(body).slice(0, 300)})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop(stopOptions = {}) {
      await stack.stop();
      if (!stopOptions.keepDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A writable that collects what a command prints. */
export function collect(): NodeJS.WritableStream & { text(): string } {
  const chunks: string[] = [];
  const stream = {
    write(chunk: string | Uint8Array) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
    text: () => chunks.join(''),
  };
  return stream as unknown as NodeJS.WritableStream & { text(): string };
}

/** The report without the one field that differs between two runs on the same bytes. */
export function withoutGeneratedAt(report: unknown): unknown {
  const { generatedAt: _ignored, ...rest } = report as Record<string, unknown>;
  return rest;
}

/**
 * A deal's first tape's pipeline report as `dmbs check --json` prints it without --prior: without
 * generatedAt, and without the watchlist section, which must say there was no prior tape.
 */
export function asOfflineFirstTape(report: unknown): unknown {
  const { watchlist, ...rest } = withoutGeneratedAt(report) as Record<string, unknown>;
  if ((watchlist as { priorTape?: unknown } | undefined)?.priorTape !== null) throw new Error(`expected a first tape's watchlist (priorTape null), got ${JSON.stringify(watchlist)?.slice(0, 200)}`);
  return rest;
}
