/**
 * The last line of defence of `npm start`: an error nobody handled must not end the process when
 * it concerns one request. An error from a failed system call (it names a `syscall`: a file name
 * too long, a reset socket, a full disk) is confined to the request or file it was about, so it is
 * logged and the stack keeps serving; so is a rejected promise nobody awaited. Anything else is a
 * fault whose effects are unknown: logged, and the process ends (the next start recovers, and the
 * attempt marks keep a tape that caused it from being resumed).
 */
export type GuardDecision = 'keep-serving' | 'exit';

/** What to do after `error` reached the process unhandled. */
export function decideUnhandled(error: unknown, origin: 'uncaughtException' | 'unhandledRejection'): GuardDecision {
  if (origin === 'unhandledRejection') return 'keep-serving';
  return typeof (error as NodeJS.ErrnoException | null)?.syscall === 'string' ? 'keep-serving' : 'exit';
}

/**
 * Installs the handlers; `log` gets one line per error, `exit` is called for the others.
 * @example installProcessGuard((line) => process.stderr.write(`${line}\n`), (code) => process.exit(code));
 */
export function installProcessGuard(log: (line: string) => void, exit: (code: number) => void): void {
  const handle = (error: unknown, origin: 'uncaughtException' | 'unhandledRejection') => {
    const decision = decideUnhandled(error, origin);
    const e = error as NodeJS.ErrnoException | null;
    const what = e instanceof Error ? `${e.code ? `${e.code}: ` : ''}${e.message}` : String(error);
    log(`${origin === 'unhandledRejection' ? 'unhandled rejection' : 'unhandled error'}: ${JSON.stringify(what.slice(0, 500))}; `
      + (decision === 'exit' ? 'stopping (the next start recovers the tapes)' : 'the request it belonged to failed; still serving'));
    if (decision === 'exit') exit(70);
  };
  process.on('uncaughtException', (error) => handle(error, 'uncaughtException'));
  process.on('unhandledRejection', (reason) => handle(reason, 'unhandledRejection'));
}
