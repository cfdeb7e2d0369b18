/**
 * The one place that reads and writes tape object keys `incoming/{issuerId}/{dealId}/{fileName}`.
 * Everything that takes a key from outside (notifications, the API's presigned uploads, the CLI)
 * goes through here: allowed characters only, no `..`, bounded lengths, and a reason for every
 * rejection. No I/O.
 */
import type { TapeKeyParts } from './state.ts';

export const TAPE_KEY_LIMITS = {
  /** issuerId and dealId: 1-64 characters. */
  maxIdChars: 64,
  /** fileName: 1-200 characters. */
  maxFileNameChars: 200,
} as const;

/**
 * Ids: letters, digits, '.', '_', '-', starting with a letter or digit. File names likewise.
 * These characters read the same whether or not a notification URL-encodes the key, so a key
 * cannot mean two things (S3 event notifications encode keys, EventBridge and s3rver do not).
 */
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ALLOWED = "letters, digits, '.', '_' and '-' (starting with a letter or digit)";
const EXAMPLE = 'incoming/acme/deal-1/tape-2026-06.csv';

export type TapeKeyResult =
  | { readonly ok: true; readonly parts: TapeKeyParts }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a tape key; a rejection says why and what to do.
 * @example parseTapeKey('incoming/acme/deal-1/tape.csv') // { ok: true, parts: { issuerId: 'acme', dealId: 'deal-1', fileName: 'tape.csv' } }
 */
export function parseTapeKey(key: string): TapeKeyResult {
  const shown = show(key);
  if (key.length > 1024) return reject(`object key is ${key.length} characters long; S3 keys have at most 1,024`);
  if (!key.startsWith('incoming/')) return reject(`object key ${shown} is not under incoming/; upload tapes as incoming/{issuerId}/{dealId}/{fileName}, e.g. ${EXAMPLE}`);
  if (key.endsWith('/')) return reject(`object key ${shown} is a folder marker, not a tape; upload the file itself as incoming/{issuerId}/{dealId}/{fileName}`);
  const segments = key.split('/');
  if (segments.length !== 4) {
    return reject(`object key ${shown} has ${segments.length - 1} parts after incoming/ where 3 are expected; upload as incoming/{issuerId}/{dealId}/{fileName}, e.g. ${EXAMPLE}`);
  }
  const [, issuerId = '', dealId = '', fileName = ''] = segments;
  const problem = checkPart('issuerId', issuerId, TAPE_KEY_LIMITS.maxIdChars, ID_RE)
    ?? checkPart('dealId', dealId, TAPE_KEY_LIMITS.maxIdChars, ID_RE)
    ?? checkPart('fileName', fileName, TAPE_KEY_LIMITS.maxFileNameChars, FILE_RE);
  if (problem) return reject(`object key ${shown}: ${problem}`);
  return { ok: true, parts: { issuerId, dealId, fileName } };
}

/**
 * Builds the key for a tape; throws RangeError naming the bad part (callers validate user input with `parseTapeKey`).
 * @example formatTapeKey({ issuerId: 'acme', dealId: 'deal-1', fileName: 'tape.csv' }) // 'incoming/acme/deal-1/tape.csv'
 */
export function formatTapeKey(parts: TapeKeyParts): string {
  const key = `incoming/${parts.issuerId}/${parts.dealId}/${parts.fileName}`;
  const parsed = parseTapeKey(key);
  if (!parsed.ok) throw new RangeError(parsed.reason);
  return key;
}

/** The prefix an issuer may upload under (presigned uploads are scoped to it). */
export function issuerPrefix(issuerId: string): string {
  const problem = checkPart('issuerId', issuerId, TAPE_KEY_LIMITS.maxIdChars, ID_RE);
  if (problem) throw new RangeError(problem);
  return `incoming/${issuerId}/`;
}

function checkPart(name: string, value: string, max: number, re: RegExp): string | undefined {
  if (value.length === 0) return `${name} is empty`;
  if (value.length > max) return `${name} has ${value.length} characters; at most ${max} are allowed`;
  if (value.includes('..')) return `${name} ${show(value)} contains '..'; rename it`;
  if (!re.test(value)) {
    const bad = [...value].find((c) => !/[A-Za-z0-9._-]/.test(c));
    const what = bad === undefined ? 'must start with a letter or digit' : `contains ${describe(bad)}`;
    return `${name} ${show(value)} ${what}; use only ${ALLOWED}${name === 'fileName' ? `, e.g. ${show(suggest(value))}` : ''}`;
  }
  return undefined;
}

function describe(c: string): string {
  if (c === ' ') return 'a space';
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `a control character (U+${code.toString(16).padStart(4, '0').toUpperCase()})` : `'${c}'`;
}

function suggest(fileName: string): string {
  const s = fileName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[^A-Za-z0-9]+/, '');
  return s.length > 0 ? s.slice(0, TAPE_KEY_LIMITS.maxFileNameChars) : 'tape.csv';
}

function show(value: string): string {
  const shortened = value.length > 120 ? `${value.slice(0, 117)}...` : value;
  return `'${shortened.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

function reject(reason: string): TapeKeyResult {
  return { ok: false, reason };
}
