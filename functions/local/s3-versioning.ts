/**
 * Object versions for s3rver 3.7.1, which has none: every upload outside `reports/` gets a
 * version id, an immutable snapshot of its bytes, `x-amz-version-id` on the answer, `versionId`
 * in its notification, and path-style GET/HEAD `?versionId=` served from the snapshot. So the
 * pipeline reads exactly the bytes a notification announced (tape ids derive from bucket, key
 * and version, as with the versioned bucket in AWS), and the snapshots are the local stack's
 * durable inbox after a crash. It changes nothing else about s3rver.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type S3rver from 's3rver';
import type { S3rverContext } from 's3rver';
import type { S3NotificationRecord } from '../aws/object-created.ts';
import { REPORTS_PREFIX, RESCORES_PREFIX } from '../pipeline/state.ts';
import { ANALYTICS_ROOT } from '../pipeline/loan-parquet.ts';

/** One stored version of an object. */
export interface ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  /** MD5 hex, without quotes (what s3rver reports as ETag). */
  readonly eTag: string;
  readonly size: number;
  readonly contentType?: string;
  /** When the version was stored, ISO 8601. */
  readonly createdAt: string;
}

export interface ObjectVersionsOptions {
  /** Where snapshots live (outside s3rver's own directory, or it would list them as a bucket). */
  readonly directory: string;
  /** Keys that get no versions. Default: the pipeline's own artifacts (`reports/`, `rescores/`, `analytics/loans/`), written at fixed keys. */
  readonly unversionedPrefixes?: readonly string[];
}

const VERSION_ID_RE = /^[0-9a-z]{1,64}$/;

/**
 * @example
 * const versions = new ObjectVersions({ directory: '.dmbs/s3-versions' });
 * versions.attach(s3rver); // before s3rver.run()
 */
export class ObjectVersions {
  readonly directory: string;
  readonly #unversioned: readonly string[];
  readonly #requests = new AsyncLocalStorage<{ versionId?: string }>();
  readonly #locks = new Map<string, Promise<unknown>>();
  #sequence = 0;

  constructor(options: ObjectVersionsOptions) {
    this.directory = options.directory;
    this.#unversioned = options.unversionedPrefixes ?? [REPORTS_PREFIX, RESCORES_PREFIX, ANALYTICS_ROOT];
  }

  /** Wraps the server's store and adds the version middleware; call before `run()` (Koa composes middleware on listen). */
  attach(server: S3rver): void {
    const store = server.store;
    const putObject = store.putObject.bind(store);
    const copyObject = store.copyObject.bind(store);
    // s3rver rewrites an object's file in place (truncate + write), and completes multipart
    // uploads through `this.putObject`, so wrapping the instance's method covers PUT, POST and
    // CompleteMultipartUpload. Writes to one key are serialised so that each snapshot is whole.
    store.putObject = (object) => {
      if (!this.isVersioned(object.key)) return putObject(object);
      return this.#exclusive(object.bucket, object.key, async () => {
        const path = store.getResourcePath(object.bucket, object.key, 'object');
        const result = await this.#replacing(path, () => putObject(object));
        await this.#snapshot(object.bucket, object.key, path, { eTag: result.md5, size: result.size, contentType: object.metadata['content-type'] });
        return result;
      });
    };
    store.copyObject = (srcBucket, srcKey, destBucket, destKey, replacement) => {
      if (!this.isVersioned(destKey)) return copyObject(srcBucket, srcKey, destBucket, destKey, replacement);
      return this.#exclusive(destBucket, destKey, async () => {
        const path = store.getResourcePath(destBucket, destKey, 'object');
        const samePath = path === store.getResourcePath(srcBucket, srcKey, 'object');
        const metadata = samePath
          ? await copyObject(srcBucket, srcKey, destBucket, destKey, replacement)
          : await this.#replacing(path, () => copyObject(srcBucket, srcKey, destBucket, destKey, replacement));
        const contentType = metadata['content-type'];
        await this.#snapshot(destBucket, destKey, path, {
          eTag: String(metadata.etag).replace(/"/g, ''),
          size: Number(metadata['content-length']),
          ...(typeof contentType === 'string' ? { contentType } : {}),
        });
        return metadata;
      });
    };
    server.middleware.unshift((ctx, next) => this.#requests.run({}, async () => {
      const versionId = single(ctx.query.versionId);
      if (versionId !== undefined && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
        const target = pathStyleObject(ctx.path);
        if (target) return this.#serve(ctx, target.bucket, target.key, versionId);
      }
      await next();
      const created = this.#requests.getStore()?.versionId;
      if (created) ctx.set('x-amz-version-id', created);
    }));
  }

  /** True when uploads to `key` get versions. */
  isVersioned(key: string): boolean {
    return !this.#unversioned.some((p) => key.startsWith(p));
  }

  /**
   * The notification records with the version id of the upload that caused them. s3rver emits
   * synchronously inside the request that stored the object, so the request's context knows it.
   */
  withVersionIds(records: readonly S3NotificationRecord[]): S3NotificationRecord[] {
    const versionId = this.#requests.getStore()?.versionId;
    // The version id sorts by creation (ms, then a sequence): it is also the record's sequencer, and its
    // time is the event's, so that uploads stored in the same millisecond keep their order (as S3's
    // sequencer orders the events of one key).
    return records.map((r) => (versionId && r.eventName.startsWith('ObjectCreated:') && this.isVersioned(r.s3.object.key)
      ? { ...r, eventTime: new Date(parseInt(versionId.slice(0, 9), 36)).toISOString(), s3: { ...r.s3, object: { ...r.s3.object, versionId, sequencer: versionId } } }
      : r));
  }

  /** One version's description, or undefined when there is no such version. */
  async get(bucket: string, key: string, versionId: string): Promise<ObjectVersion | undefined> {
    if (!VERSION_ID_RE.test(versionId)) return undefined;
    try {
      const version = JSON.parse(await readFile(this.#metaPath(bucket, key, versionId), 'utf8')) as ObjectVersion;
      return version.key === key ? version : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /**
   * Stored versions of a bucket, oldest first (version ids sort by creation time).
   * `unsettledOnly`: leaves out versions marked with `markSettled` (the runner finished them).
   */
  async list(bucket: string, options: { unsettledOnly?: boolean } = {}): Promise<ObjectVersion[]> {
    const root = join(this.directory, bucket);
    const out: ObjectVersion[] = [];
    for (const dir of await readdirOrEmpty(root)) {
      const names = await readdirOrEmpty(join(root, dir));
      const settled = new Set(names.filter((n) => n.endsWith('.settled')).map((n) => n.slice(0, -'.settled'.length)));
      for (const name of names) {
        if (!name.endsWith('.json')) continue;
        if (options.unsettledOnly && settled.has(name.slice(0, -'.json'.length))) continue;
        try {
          out.push(JSON.parse(await readFile(join(root, dir, name), 'utf8')) as ObjectVersion);
        } catch {
          // a metadata file being written right now, or a broken one: not a committed version
        }
      }
    }
    return out.sort((a, b) => (a.versionId < b.versionId ? -1 : a.versionId > b.versionId ? 1 : 0));
  }

  /** Marks a version as handled for good (its tape reached a final status), so that start-up skips it. */
  async markSettled(bucket: string, key: string, versionId: string): Promise<void> {
    if (!VERSION_ID_RE.test(versionId)) return;
    await writeFile(join(this.#keyDir(bucket, key), `${versionId}.settled`), '').catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  /** Runs `write`, which rewrites `path`, with the previous file moved aside (its snapshot keeps the bytes); restores it when the write fails. */
  async #replacing<T>(path: string, write: () => Promise<T>): Promise<T> {
    const aside = `${path}.aside`;
    let movedAside = true;
    await rename(path, aside).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
      movedAside = false;
    });
    let result: T;
    try {
      result = await write();
    } catch (e) {
      if (movedAside) await rename(aside, path).catch(() => undefined);
      throw e;
    }
    if (movedAside) await unlink(aside).catch(() => undefined);
    return result;
  }

  async #snapshot(bucket: string, key: string, path: string, content: { eTag: string; size: number; contentType?: string | undefined }): Promise<void> {
    const versionId = this.#newVersionId();
    const dir = this.#keyDir(bucket, key);
    await mkdir(dir, { recursive: true });
    const bytes = join(dir, `${versionId}.bin`);
    // A hard link costs nothing and stays whole: the next write to the key makes a new file.
    await link(path, bytes).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EXDEV' || e.code === 'EPERM' || e.code === 'EMLINK') return copyFile(path, bytes);
      throw e;
    });
    const version: ObjectVersion = {
      bucket, key, versionId, eTag: content.eTag, size: content.size,
      ...(content.contentType ? { contentType: content.contentType } : {}),
      createdAt: new Date().toISOString(),
    };
    // The metadata file is the commit mark: written whole (rename), after the bytes.
    const meta = this.#metaPath(bucket, key, versionId);
    await writeFile(`${meta}.tmp`, JSON.stringify(version));
    await rename(`${meta}.tmp`, meta);
    const request = this.#requests.getStore();
    if (request) request.versionId = versionId;
  }

  async #serve(ctx: S3rverContext, bucket: string, key: string, versionId: string): Promise<void> {
    const version = await this.get(bucket, key, versionId);
    if (!version) {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchVersion</Code><Message>The specified version does not exist.</Message>`
        + `<Key>${escapeXml(key)}</Key><VersionId>${escapeXml(versionId)}</VersionId></Error>`;
      return;
    }
    ctx.status = 200;
    ctx.set('ETag', `"${version.eTag}"`);
    ctx.set('Last-Modified', new Date(version.createdAt).toUTCString());
    ctx.set('x-amz-version-id', version.versionId);
    ctx.type = version.contentType ?? 'application/octet-stream';
    ctx.length = version.size;
    if (ctx.method === 'GET') ctx.body = createReadStream(join(this.#keyDir(bucket, key), `${versionId}.bin`));
  }

  /** Serialises writes to one key (s3rver itself does not). */
  async #exclusive<T>(bucket: string, key: string, run: () => Promise<T>): Promise<T> {
    const name = `${bucket}\n${key}`;
    const previous = this.#locks.get(name) ?? Promise.resolve();
    const current = previous.then(run, run);
    const tail = current.then(() => undefined, () => undefined);
    this.#locks.set(name, tail);
    try {
      return await current;
    } finally {
      if (this.#locks.get(name) === tail) this.#locks.delete(name);
    }
  }

  /** Sorts by creation: milliseconds, then a per-process sequence, then randomness (two processes never share a directory). */
  #newVersionId(): string {
    this.#sequence = (this.#sequence + 1) % 36 ** 4;
    return `${Date.now().toString(36).padStart(9, '0')}${this.#sequence.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
  }

  #keyDir(bucket: string, key: string): string {
    // Hashed: keys may hold any character, and none of them may reach the file system as a path.
    return join(this.directory, bucket, createHash('sha256').update(key).digest('hex').slice(0, 32));
  }

  #metaPath(bucket: string, key: string, versionId: string): string {
    return join(this.#keyDir(bucket, key), `${versionId}.json`);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `/bucket/key...` of a path-style request (the SDK with forcePathStyle, the aws CLI on an IP endpoint). */
function pathStyleObject(path: string): { bucket: string; key: string } | undefined {
  const slash = path.indexOf('/', 1);
  if (slash < 0 || slash === path.length - 1) return undefined;
  try {
    return { bucket: decodeURIComponent(path.slice(1, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
  } catch {
    return undefined;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
