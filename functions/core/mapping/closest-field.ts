/**
 * Suggests the field an unknown header was probably meant to be ("did you mean"): the header with
 * its unit in brackets dropped (`DSCR (x)`), a typo (edit distance), or the same words abbreviated
 * (`Curr Bal`, `Pmt Status`, `Top Tenant`). Used only for messages; never maps a column by itself.
 */
import type { FieldSpec } from '../schema/field-specs.ts';
import { headerKey } from './header-key.ts';

interface Candidate {
  readonly key: string;
  readonly words: readonly string[];
  readonly field: string;
}

/**
 * The words of a header or field name: camelCase and punctuation split, lower-cased.
 * @example headerWords('leaseExpiryDate') // ['lease', 'expiry', 'date']
 */
export function headerWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** A kind's field names and aliases as candidates, built once per kind's fields. */
const CANDIDATES = new WeakMap<readonly FieldSpec[], readonly Candidate[]>();

function candidatesOf(fields: readonly FieldSpec[]): readonly Candidate[] {
  let candidates = CANDIDATES.get(fields);
  if (candidates === undefined) {
    candidates = fields.flatMap((f) => [f.name, ...f.aliases].map((name) => ({ key: headerKey(name), words: headerWords(name), field: f.name })));
    CANDIDATES.set(fields, candidates);
  }
  return candidates;
}

// Words that issuers' sheets use for one another; abbreviations need no entry (see wordMatches).
const SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries({
  top: ['largest', 'anchor'],
  biggest: ['largest'],
  main: ['largest', 'anchor'],
  expiry: ['expiration'],
  expiration: ['expiry'],
  expires: ['expiry', 'expiration'],
  end: ['expiry', 'expiration', 'maturity'],
  bal: ['balance'],
  upb: ['balance'],
  delinquency: ['payment'],
  dq: ['delinquency', 'payment'],
}));

/** Levenshtein distance, two-row dynamic programme. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let curr = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length]!;
}

/** `abbr` is `word` shortened: its prefix (`curr`) or its letters in order from the first (`pmt`). */
function abbreviates(abbr: string, word: string): boolean {
  if (abbr.length < 3 || abbr[0] !== word[0] || abbr.length >= word.length) return false;
  if (word.startsWith(abbr)) return true;
  let i = 0;
  for (const ch of word) if (ch === abbr[i]) i++;
  return i === abbr.length;
}

function wordMatches(headerWord: string, fieldWord: string): boolean {
  return headerWord === fieldWord || abbreviates(headerWord, fieldWord) || (SYNONYMS.get(headerWord)?.includes(fieldWord) ?? false);
}

/**
 * How much of the candidate's name the header's words cover (0..1), when every header word matches
 * a different word of it; undefined when one does not.
 */
function coverage(words: readonly string[], candidate: Candidate): number | undefined {
  const used = new Array<boolean>(candidate.words.length).fill(false);
  for (const w of words) {
    const k = candidate.words.findIndex((c, i) => !used[i] && wordMatches(w, c));
    if (k < 0) return undefined;
    used[k] = true;
  }
  return words.length / candidate.words.length;
}

/**
 * The field of `fields` (a tape kind's) whose name or alias `header` probably means, if any.
 * @example closestField('Curent Balance', FIELDS) // 'currentBalance' (a typo)
 * @example closestField('Curr Bal', FIELDS) // 'currentBalance' (abbreviated words)
 */
export function closestField(header: string, fields: readonly FieldSpec[]): string | undefined {
  const candidates = candidatesOf(fields);
  const key = headerKey(header);
  if (key.length === 0 || key.length > 200) return undefined;
  // A unit or note in brackets: `DSCR (x)`, `Current Balance ($)`.
  const bare = headerKey(header.replace(/\([^)]*\)|\[[^\]]*\]/g, ''));
  if (bare.length > 0 && bare !== key) {
    const exact = candidates.find((c) => c.key === bare);
    if (exact) return exact.field;
  }
  const typo = closestByDistance(key, candidates);
  // A near-exact spelling first, then the same words abbreviated, then a looser spelling.
  if (typo && typo.distance <= Math.max(1, Math.floor(key.length / 4))) return typo.field;
  const byWord = byWords(headerWords(header.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')), candidates);
  if (byWord) return byWord;
  return typo && typo.distance <= Math.max(1, Math.floor(key.length / 3)) ? typo.field : undefined;
}

function closestByDistance(key: string, candidates: readonly Candidate[]): { field: string; distance: number } | undefined {
  let best: { field: string; distance: number } | undefined;
  for (const c of candidates) {
    if (Math.abs(c.key.length - key.length) > 6) continue;
    const d = editDistance(key, c.key);
    if (!best || d < best.distance) best = { field: c.field, distance: d };
  }
  return best;
}

/** The candidate the words cover best (at least half of its words); the shorter name on a tie. */
function byWords(words: readonly string[], candidates: readonly Candidate[]): string | undefined {
  if (words.length === 0 || words.length > 12) return undefined;
  let best: { field: string; share: number; length: number } | undefined;
  for (const c of candidates) {
    const share = coverage(words, c);
    if (share === undefined || share < 0.5) continue;
    if (!best || share > best.share || (share === best.share && c.words.length < best.length)) best = { field: c.field, share, length: c.words.length };
  }
  return best?.field;
}
