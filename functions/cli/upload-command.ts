/**
 * `dmbs upload FILE --deal D`: asks the API for a presigned upload under the caller's own prefix,
 * streams the file to it, and (unless --no-wait) follows the tape until it is SCORED, FAILED or a
 * DUPLICATE of an earlier upload. The same for the local stack and a deployed one (--endpoint).
 * Exit: 0 scored without errors (or same content as an earlier tape), 1 scored with errors or
 * failed, 2 the upload could not be made.
 */
import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { Tape, UploadTicket } from '../api/generated/api.ts';
import { tapeIdFor } from '../pipeline/tape-id.ts';
import { ApiClient, ApiRequestError } from './api-client.ts';
import { statTapeFile } from './file-source.ts';
import { resolveTarget } from './stack-target.ts';
import { renderTape } from './status-command.ts';
import { UsageError } from './usage-error.ts';

export const UPLOAD_USAGE = `usage: dmbs upload FILE --deal ID [--no-wait] [--json] [--timeout SECONDS] [--endpoint URL] [--token T]

  Uploads a tape to a running DMBS stack (the local one by default) and waits for its result.
  The token (--token, DMBS_TOKEN, or a plain token in the local keys.json) must be an issuer key.`;

export interface UploadOptions {
  readonly file: string;
  readonly dealId: string;
  readonly wait: boolean;
  readonly json: boolean;
  readonly timeoutSeconds: number;
  readonly endpoint?: string;
  readonly token?: string;
}

/** Parses `upload` arguments and runs it; returns the exit code. */
export async function runUploadCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      deal: { type: 'string' }, 'no-wait': { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
      timeout: { type: 'string' }, endpoint: { type: 'string' }, token: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`upload takes exactly one FILE\n${UPLOAD_USAGE}`);
  if (!values.deal) throw new UsageError(`upload needs --deal ID (the deal this tape belongs to)\n${UPLOAD_USAGE}`);
  const timeout = values.timeout ?? '600';
  if (!/^\d+$/.test(timeout) || Number(timeout) < 1) throw new UsageError(`--timeout takes a whole number of seconds, not '${timeout}'`);
  return uploadTape({
    file: positionals[0]!, dealId: values.deal, wait: !values['no-wait'], json: values.json, timeoutSeconds: Number(timeout),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}), ...(values.token ? { token: values.token } : {}),
  }, out);
}

/** Uploads and (optionally) waits; returns the exit code. */
export async function uploadTape(options: UploadOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const size = await statTapeFile(options.file);
  const api = new ApiClient(resolveTarget(options, 'issuer'));
  const fileName = basename(options.file);
  let ticket: UploadTicket;
  try {
    ticket = await api.post<UploadTicket>(`/v1/deals/${encodeURIComponent(options.dealId)}/tapes`, { fileName, size });
  } catch (e) {
    if (e instanceof ApiRequestError && e.code === 'ROLE_FORBIDDEN') throw new UsageError(`${e.message} Use an issuer key (DMBS_TOKEN or --token).`);
    throw e;
  }
  const stored = await putFile(ticket, options.file, size);
  const tapeId = tapeIdFor({ bucket: bucketOf(ticket), key: ticket.key, versionId: stored.versionId, eTag: stored.eTag, sequencer: null });
  process.stderr.write(`uploaded ${fileName} (${size.toLocaleString('en-US')} bytes) as ${ticket.key}; tape ${tapeId}\n`);
  if (!options.wait) {
    out.write(options.json ? `${JSON.stringify({ tapeId, key: ticket.key })}\n` : `${tapeId}\n`);
    return 0;
  }
  const tape = await waitForTape(api, tapeId, options.timeoutSeconds);
  out.write(options.json ? `${JSON.stringify(tape, null, 2)}\n` : `${renderTape(tape).join('\n')}\n`);
  if (tape.status === 'SCORED') return (tape.summary?.errorCount ?? 0) > 0 ? 1 : 0;
  return tape.status === 'DUPLICATE' ? 0 : 1;
}

/** Polls the tape until its status is final; shows each new status on stderr. */
export async function waitForTape(api: ApiClient, tapeId: string, timeoutSeconds: number): Promise<Tape> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let shown = '';
  for (let delay = 200; ; delay = Math.min(delay * 1.5, 2000)) {
    let tape: Tape | undefined;
    try {
      tape = await api.get<Tape>(`/v1/tapes/${tapeId}`);
    } catch (e) {
      // Not there yet: the pipeline records the tape when the upload's notification arrives.
      if (!(e instanceof ApiRequestError && e.status === 404)) throw e;
    }
    if (tape) {
      if (tape.progress.final) return tape;
      const now = `${tape.status} (step ${tape.progress.stepNumber} of ${tape.progress.stepCount})`;
      if (now !== shown) process.stderr.write(`  ${now}\n`);
      shown = now;
    }
    if (Date.now() > deadline) {
      throw new UsageError(`tape ${tapeId} is ${tape?.status ?? 'not recorded yet'} after ${timeoutSeconds} s; follow it with \`dmbs status ${tapeId}\``);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** PUTs the file to the presigned URL with the signed headers; returns the stored version (S3's answer). */
async function putFile(ticket: UploadTicket, file: string, size: number): Promise<{ versionId: string | null; eTag: string | null }> {
  const url = new URL(ticket.uploadUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { ...ticket.headers, 'content-length': String(size) };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(url, { method: ticket.method, headers }, resolve);
    req.on('error', reject);
    pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), uploadProgress(size), req).catch(reject);
  }).catch((e: unknown) => {
    throw new UsageError(`${file}: upload to ${url.origin} failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  });
  const chunks: Buffer[] = [];
  for await (const c of response) chunks.push(c as Buffer);
  if ((response.statusCode ?? 0) >= 300) {
    const body = Buffer.concat(chunks).toString('utf8');
    const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? `HTTP ${response.statusCode}`;
    const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1] ?? '';
    throw new UsageError(`${file}: the storage refused the upload (${code}${message ? `: ${message}` : ''}); ask for a new upload with \`dmbs upload\` again`);
  }
  const versionId = header(response, 'x-amz-version-id');
  const eTag = header(response, 'etag')?.replace(/"/g, '') ?? null;
  return { versionId: versionId && versionId !== 'null' ? versionId : null, eTag };
}

/** Counts bytes on their way out; a progress line on stderr when it is a terminal and the file is over 4 MiB. */
function uploadProgress(size: number, stream: NodeJS.WriteStream = process.stderr): Transform {
  const show = Boolean(stream.isTTY) && size >= 4 << 20;
  let sent = 0;
  let last = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      const now = Date.now();
      if (show && (now - last >= 200 || sent === size)) {
        last = now;
        stream.write(`\ruploading ${((sent / size) * 100).toFixed(0).padStart(3)}%  ${(sent / 2 ** 20).toFixed(1)} of ${(size / 2 ** 20).toFixed(1)} MiB`);
        if (sent === size) stream.write('\r\x1b[K');
      }
      done(null, chunk);
    },
  });
}

function header(response: IncomingMessage, name: string): string | null {
  const v = response.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

/**
 * The bucket of a presigned URL: path-style (`/bucket/key`, emulators) or virtual-hosted
 * (`bucket.s3.region.amazonaws.com/key`). Tape ids derive from bucket, key and version.
 */
export function bucketOf(ticket: Pick<UploadTicket, 'uploadUrl' | 'key'>): string {
  const url = new URL(ticket.uploadUrl);
  const path = decodeURIComponent(url.pathname);
  if (path.endsWith(`/${ticket.key}`)) {
    const prefix = path.slice(1, path.length - ticket.key.length - 1);
    if (prefix) return prefix;
  }
  const host = url.hostname;
  const at = host.search(/\.s3[.-]/);
  if (at > 0) return host.slice(0, at);
  throw new UsageError(`cannot tell the bucket from the upload URL ${url.origin}; follow the tape with \`dmbs status\``);
}
