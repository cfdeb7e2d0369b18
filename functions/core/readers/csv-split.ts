/**
 * Safe split points of a CSV tape, so that byte ranges can be read by several workers and every
 * record still lands whole in exactly one range. Pure: bytes in, an offset out; never reads files.
 *
 * Method (state convergence, exact): the reader's lenient RFC 4180 grammar (csv-reader.ts) is a
 * 6-state automaton over bytes — record start, field start, unquoted field (also text after a
 * closing quote), quoted field, quote seen inside a quoted field, CR seen at a record end. The state
 * at an arbitrary byte offset is unknown (it depends on every byte before it), so the automaton is
 * run from *all six* states at once over the bytes that follow. Runs that reach the same state at
 * the same byte agree from there on; once all six have converged, the state of the true parse is
 * known without having read anything before the offset. The first record boundary after that is
 * exact. Tapes with quotes converge at the first line break after the first quote of the window (a
 * quoted field, even one holding line breaks, ends at its closing quote whatever the start state).
 *
 * One hypothesis cannot be ruled out from the bytes that follow when they hold no quote at all:
 * "inside a quoted field that has not ended yet". A window with no quote is then split
 * speculatively at its first line break (the only other reading), and the split is verified when
 * the range before it has been read: its reader must end exactly there, on a record boundary
 * (`CsvRangeEnd.atRecordBoundary`); the first range starts at the file's start, so by induction
 * every range is verified. A wrong speculation (a quoted field longer than the window without a
 * quote in it) is detected, never silently wrong, and the caller then reads the tape in one pass. A
 * window that has quotes yet does not converge (pathological quoting) yields no split point there.
 * Cost: one pass over a few kilobytes per split point.
 *
 * Only for byte-oriented encodings where `"`, the delimiter, CR and LF are single bytes that never
 * occur inside a multi-byte character: UTF-8 (and ASCII). UTF-16 tapes are read in one range.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Automaton states. */
const RECORD = 0;
const FIELD = 1;
const UNQUOTED = 2;
const QUOTED = 3;
const QUOTE_IN_QUOTED = 4;
const AFTER_CR = 5;
const STATES = 6;

/** The next state after byte `b` (delimiter byte `d`); AFTER_CR + LF is the LF of a CRLF. */
export function nextCsvState(state: number, b: number, d: number): number {
  switch (state) {
    case QUOTED:
      return b === QUOTE ? QUOTE_IN_QUOTED : QUOTED;
    case QUOTE_IN_QUOTED:
      if (b === QUOTE) return QUOTED; // a doubled quote
      if (b === d) return FIELD;
      if (b === LF) return RECORD;
      if (b === CR) return AFTER_CR;
      return UNQUOTED; // text after the closing quote is kept literally
    case UNQUOTED:
      if (b === d) return FIELD;
      if (b === LF) return RECORD;
      if (b === CR) return AFTER_CR;
      return UNQUOTED; // a quote inside an unquoted field is a literal character
    case AFTER_CR:
      if (b === LF) return RECORD;
    // falls through: a lone CR ended the record; b starts the next one
    case RECORD:
    case FIELD:
      if (b === d) return FIELD;
      if (b === QUOTE) return QUOTED;
      if (b === LF) return RECORD;
      if (b === CR) return AFTER_CR;
      return UNQUOTED;
    default:
      throw new RangeError(`not a CSV state: ${state}`);
  }
}

/**
 * The first offset in `bytes` (which start at an arbitrary position of a tape) where a record is
 * sure to begin, whatever the parser's state at `bytes[0]`; -1 when the runs from every state do not
 * converge within `bytes`. A returned offset `q` follows a line break: `bytes[q - 1]` is LF, or CR
 * not followed by LF (so `q < bytes.length`, never between the CR and LF of a CRLF).
 * @param delimiter the delimiter's byte (e.g. 0x2c for `,`)
 * @example findRecordStart(window, 0x2c) // 1873: the next record starts at window offset 1873
 */
export function findRecordStart(bytes: Uint8Array, delimiter: number): number {
  const states = new Int8Array(STATES);
  for (let s = 0; s < STATES; s++) states[s] = s;
  let distinct = STATES;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    for (let k = 0; k < distinct; k++) states[k] = nextCsvState(states[k]!, b, delimiter);
    if (distinct > 1) distinct = dedupe(states, distinct);
    if (distinct !== 1) continue;
    const s = states[0]!;
    if (s === RECORD) return i + 1;
    if (s === AFTER_CR && i + 1 < n && bytes[i + 1] !== LF) return i + 1;
  }
  return -1;
}

/** Keeps the distinct states in the first slots; returns how many there are. */
function dedupe(states: Int8Array, count: number): number {
  let out = 0;
  for (let k = 0; k < count; k++) {
    const s = states[k]!;
    let seen = false;
    for (let j = 0; j < out; j++) if (states[j] === s) { seen = true; break; }
    if (!seen) states[out++] = s;
  }
  return out;
}

/** A split point: `exact`, or speculative (true if the bytes before it hold no open quoted field; verify). */
export interface SplitPoint {
  readonly offset: number;
  readonly exact: boolean;
}

/**
 * A record start in `bytes` (see the header): exact when the runs converge, else speculative at the
 * first line break of a window without quotes; undefined when there is none.
 */
export function findSplitPoint(bytes: Uint8Array, delimiter: number): SplitPoint | undefined {
  const exact = findRecordStart(bytes, delimiter);
  if (exact >= 0) return { offset: exact, exact: true };
  if (bytes.indexOf(QUOTE) !== -1) return undefined;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === LF) return i + 1 < bytes.length ? { offset: i + 1, exact: false } : undefined;
    if (b === CR) {
      const after = bytes[i + 1] === LF ? i + 2 : i + 1;
      return after < bytes.length ? { offset: after, exact: false } : undefined;
    }
  }
  return undefined;
}

/**
 * The end of the first record of a tape read from its first byte (state: record start, after an
 * optional BOM), skipping blank lines: the offset just after that record's line break, or -1 when
 * `bytes` does not hold it whole. Used to keep split points after the header.
 */
export function firstRecordEnd(bytes: Uint8Array, delimiter: number): number {
  let state = RECORD;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let content = false;
  for (; i < bytes.length; i++) {
    const b = bytes[i]!;
    const before = state;
    state = nextCsvState(state, b, delimiter);
    if ((before === RECORD || before === AFTER_CR) && state !== RECORD && state !== AFTER_CR) content = true;
    if (before === FIELD) content = true;
    if (!content) continue;
    if (state === RECORD) return i + 1;
    if (state === AFTER_CR && i + 1 < bytes.length && bytes[i + 1] !== LF) return i + 1;
  }
  return -1;
}
