/**
 * The uploaded object as the pipeline keeps it: whatever adapter delivered the notification
 * (EventBridge, an S3 notification, the local emulator), fields read the same way. Pure.
 */
import type { TapeObject } from './state.ts';

/** Empty strings and nulls (an EventBridge input transformer's missing fields) read as absent; ETag quotes dropped. */
export function normaliseTapeObject(o: TapeObject): TapeObject {
  return {
    bucket: o.bucket,
    key: o.key,
    versionId: o.versionId || null,
    eTag: o.eTag ? o.eTag.replace(/^"|"$/g, '') : null,
    size: typeof o.size === 'number' ? o.size : o.size == null || (o.size as unknown) === '' ? null : Number(o.size),
    sequencer: o.sequencer || null,
    eventTime: o.eventTime || null,
  };
}
