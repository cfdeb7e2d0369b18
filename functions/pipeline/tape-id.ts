/**
 * A tape's id, derived from the object version it was read from, so that every notification of
 * one upload (S3 events are at-least-once) names the same tape and the claim is a conditional write.
 */
import { createHash } from 'node:crypto';
import type { TapeObject } from './state.ts';

/**
 * 32 lowercase hex characters of SHA-256(bucket, key, version). Without a version id (an
 * unversioned emulator bucket) the ETag stands in: the same bytes re-uploaded under the same key
 * give the same id (and would be a content duplicate anyway); changed bytes give a new one.
 * @example tapeIdFor({ bucket: 'dmbs-tapes', key: 'incoming/acme/deal-1/tape.csv', versionId: '3HL4kqtJ' })
 */
export function tapeIdFor(object: Pick<TapeObject, 'bucket' | 'key' | 'versionId' | 'eTag' | 'sequencer'>): string {
  const version = object.versionId ? `v:${object.versionId}` : object.eTag ? `e:${stripQuotes(object.eTag)}` : `s:${object.sequencer ?? ''}`;
  return createHash('sha256').update(`${object.bucket}\n${object.key}\n${version}`).digest('hex').slice(0, 32);
}

const TAPE_ID_RE = /^[0-9a-f]{32}$/;

/** True for a string of the form tapeIdFor returns (the API validates path parameters with it). */
export function isTapeId(value: string): boolean {
  return TAPE_ID_RE.test(value);
}

function stripQuotes(eTag: string): string {
  return eTag.replace(/^"|"$/g, '');
}
