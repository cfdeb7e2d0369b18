/**
 * Text from outside (object keys, file names) made safe to print on a terminal or in a log: control
 * characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides become
 * `\uXXXX`, so a key can neither start a forged log line nor send terminal escape sequences.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\\]/g;

/**
 * `json`: the text is JSON already (its backslashes are its own escapes; the `\uXXXX` added are valid JSON escapes too).
 * @example printable('a\nb\u001b[2J') // 'a\\u000ab\\u001b[2J'
 */
export function printable(text: string, options: { json?: boolean } = {}): string {
  return text.replace(UNPRINTABLE, (c) => (c === '\\' ? (options.json ? c : '\\\\') : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
