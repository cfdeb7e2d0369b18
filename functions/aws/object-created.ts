/**
 * Normalises "an object was created" from its three sources into one TapeObject: EventBridge
 * `Object Created` events (AWS), S3 event-notification records (AWS, URL-encoded keys) and
 * s3rver's notifications (same shape, keys not encoded, multipart uploads as ObjectCreated:Post,
 * no prefix filtering). Keys are returned as stored; parseTapeKey judges them. No I/O.
 */
import type { TapeObject } from '../pipeline/state.ts';
import { normaliseTapeObject } from '../pipeline/tape-object.ts';

/** The EventBridge event S3 sends (only what is read here). */
export interface S3ObjectCreatedEvent {
  readonly 'detail-type'?: string;
  readonly time?: string;
  readonly detail: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly etag?: string; readonly 'version-id'?: string; readonly sequencer?: string };
  };
}

/** One record of an S3 event notification (AWS or s3rver). */
export interface S3NotificationRecord {
  readonly eventName: string;
  readonly eventTime?: string;
  readonly s3: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string; readonly versionId?: string; readonly sequencer?: string };
  };
}

/** From an EventBridge `Object Created` event (keys arrive as stored). */
export function fromEventBridge(event: S3ObjectCreatedEvent): TapeObject {
  const o = event.detail.object;
  return normaliseTapeObject({
    bucket: event.detail.bucket.name,
    key: o.key,
    versionId: o['version-id'] ?? null,
    eTag: o.etag ?? null,
    size: o.size ?? null,
    sequencer: o.sequencer == null ? null : String(o.sequencer), // s3rver sends a number
    eventTime: event.time ?? null,
  });
}

/**
 * From S3 notification records: only ObjectCreated:* records, optionally only under `prefix`.
 * `urlEncodedKeys`: true for AWS notifications ('+' is a space, %XX escapes), false for s3rver.
 */
export function fromS3Notification(records: readonly S3NotificationRecord[], options: { urlEncodedKeys: boolean; prefix?: string }): TapeObject[] {
  const out: TapeObject[] = [];
  for (const r of records) {
    if (!r.eventName.startsWith('ObjectCreated:')) continue;
    const o = r.s3.object;
    const key = options.urlEncodedKeys ? decodeKey(o.key) : o.key;
    if (options.prefix !== undefined && !key.startsWith(options.prefix)) continue;
    out.push(normaliseTapeObject({
      bucket: r.s3.bucket.name,
      key,
      versionId: o.versionId ?? null,
      eTag: o.eTag ?? null,
      size: o.size ?? null,
      sequencer: o.sequencer == null ? null : String(o.sequencer), // s3rver sends a number
      eventTime: r.eventTime ?? null,
    }));
  }
  return out;
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key; // malformed escapes: keep as is, parseTapeKey rejects the '%'
  }
}
