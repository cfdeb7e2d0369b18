/**
 * A problem with how the CLI was called or with a file it was given: printed as one line
 * `dmbs: <message>`, exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
