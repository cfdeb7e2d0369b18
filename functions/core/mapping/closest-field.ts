/**
 * Suggests the field an unknown header was probably meant to be ("did you mean"), by edit distance
 * between header keys. Used only for messages; never maps a column by itself.
 */
import { FIELDS, type LoanField } from '../schema/loan-tape-schema.ts';
import { headerKey } from './header-key.ts';

const CANDIDATES: ReadonlyArray<{ key: string; field: LoanField }> = FIELDS.flatMap((f) =>
  [f.name, ...f.aliases].map((name) => ({ key: headerKey(name), field: f.name })),
);

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

/**
 * The field whose name or alias is closest to `header`, if it is close enough to be a plausible typo
 * (distance at most a third of the key's length, and at least 1 for short keys).
 * @example closestField('Curent Balance') // 'currentBalance'
 */
export function closestField(header: string): LoanField | undefined {
  const key = headerKey(header);
  if (key.length === 0 || key.length > 200) return undefined;
  let best: { field: LoanField; distance: number } | undefined;
  for (const c of CANDIDATES) {
    if (Math.abs(c.key.length - key.length) > 6) continue;
    const d = editDistance(key, c.key);
    if (!best || d < best.distance) best = { field: c.field, distance: d };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(1, Math.floor(key.length / 3)) ? best.field : undefined;
}
