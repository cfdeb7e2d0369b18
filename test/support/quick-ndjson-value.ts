/**
 * The loanId pre-pass's rule for reading a key's string value from an NDJSON line without parsing
 * it, on decoded text: the oracle the byte-level pre-pass (functions/core/readers/ndjson-id-scan.ts)
 * is tested against, itself tested against JSON.parse (test/unit/readers/ndjson-ids.test.ts). The
 * pre-pass once ran this on every decoded line; it now reads the bytes.
 *
 * It answers only where the answer is the one JSON.parse would give for a flat object: the line
 * holds no backslash (so every `"` delimits a string), no `{` after the first character and no `[`
 * (no nesting), the key occurs once, as a key (after `{` or `,`), with a string value. Anything
 * else: undefined, and the caller parses the line.
 */

/**
 * The string value of `key` in the flat JSON object `line`, or undefined (not safe to say: parse it).
 * @example quickNdjsonValue('{"loanId":"L-1","x":2}', 'loanId') // 'L-1'
 */
export function quickNdjsonValue(line: string, key: string): string | undefined {
  if (line.indexOf('\\') >= 0 || line.indexOf('[') >= 0) return undefined;
  let first = 0;
  while (first < line.length && isSpace(line.charCodeAt(first))) first++;
  if (line.charCodeAt(first) !== 0x7b /* { */ || line.indexOf('{', first + 1) >= 0) return undefined;
  const quoted = `"${key}"`;
  const at = line.indexOf(quoted, first);
  if (at < 0 || line.indexOf(quoted, at + quoted.length) >= 0) return undefined;
  let before = at - 1;
  while (before > first && isSpace(line.charCodeAt(before))) before--;
  const opener = line.charCodeAt(before);
  if (opener !== 0x7b && opener !== 0x2c /* , */) return undefined;
  let i = at + quoted.length;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 0x3a /* : */) return undefined;
  i++;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 0x22 /* " */) return undefined;
  const close = line.indexOf('"', i + 1);
  if (close < 0) return undefined;
  for (let k = i + 1; k < close; k++) if (line.charCodeAt(k) < 0x20) return undefined; // JSON.parse rejects raw control characters
  return line.slice(i + 1, close);
}

/** JSON whitespace. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
