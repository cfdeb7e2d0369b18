/**
 * `npm start`: starts the local stack from the environment (local-config.ts), prints where
 * everything is, optionally seeds demo data, and stops cleanly on SIGINT/SIGTERM. Problems a user
 * can fix (a port in use, a broken keys.json) are one line `dmbs-local: ...` and exit 1; never a
 * stack trace (DMBS_DEBUG=1 shows one). Bundled to dist/dmbs-local.mjs by scripts/build.mjs.
 */
import { parseArgs } from 'node:util';
import { isDmbsError } from '../core/errors.ts';
import { printable } from '../core/printable.ts';
import { bannerLines } from './banner.ts';
import { DataDirInUseError } from './data-dir-lock.ts';
import { seedDemoData, DEMO_DEALS, DEMO_TAPES, type DemoTape } from './demo-data.ts';
import { isFinalStatus } from '../pipeline/tape-status.ts';
import { writeEnvFile } from './env-file.ts';
import { dataPaths, localConfigFromEnv, LocalConfigError } from './local-config.ts';
import type { RunResult } from './local-runner.ts';
import { resetDataDir } from './reset-data-dir.ts';
import { installProcessGuard } from './process-guard.ts';
import { startLocalStack, PortInUseError, type LocalLog, type LocalStack } from './local-stack.ts';

const USAGE = `usage: npm start [-- --demo] [-- --reset] [-- --rotate-keys] [-- --verbose] [-- --json]

  Runs the DMBS product on this machine: S3 and DynamoDB emulators, the pipeline runner, the API
  and the reviewers' page, all on 127.0.0.1, data under DMBS_DATA_DIR (default .dmbs/).
  Environment: DMBS_PORT (3000), DMBS_S3_PORT (4568), DMBS_DYNAMODB_PORT (4567), DMBS_DATA_DIR, DMBS_CONCURRENCY (4),
  DMBS_TAPE_MEMORY_MB (256: what one tape may take; with the heap size it also caps the concurrency).
  DMBS_MAX_QUEUED (1000: uploads waiting in memory; the rest wait on disk).

  --demo          upload demo issuers, deals and tape versions (once per data directory); the demo
                  keeps its own data directory, .dmbs-demo/, unless DMBS_DATA_DIR is set
  --reset         delete the data directory first (only when it holds nothing but the stack's files)
  --rotate-keys   replace keys.json with new random keys (printed once)
  --verbose       log every pipeline step
  --json          print one JSON line with the endpoints when ready (for scripts)`;

/** Where `--demo` keeps its data unless DMBS_DATA_DIR says otherwise. */
export const DEMO_DATA_DIR = '.dmbs-demo';

export async function main(argv: string[]): Promise<number> {
  let values: { demo?: boolean; reset?: boolean; 'rotate-keys'?: boolean; verbose?: boolean; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { demo: { type: 'boolean' }, reset: { type: 'boolean' }, 'rotate-keys': { type: 'boolean' }, verbose: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    process.stderr.write(`dmbs-local: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The SDK warns once per process that it will need Node 22 from 2027; the project supports Node 20.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const verbose = Boolean(values.verbose || process.env.DMBS_DEBUG);
  const log = consoleLog(verbose);
  // Files the stack creates (objects, versions, the table, events) are for this user only.
  process.umask(0o077);
  installProcessGuard((line) => log('error', line), (code) => process.exit(code));
  let stack: LocalStack;
  try {
    // The demo never mixes into the data of a plain `npm start`.
    const config = localConfigFromEnv(values.demo && !process.env.DMBS_DATA_DIR ? { ...process.env, DMBS_DATA_DIR: DEMO_DATA_DIR } : process.env);
    if (values.reset) await resetDataDir(config.dataDir);
    stack = await startLocalStack({
      dataDir: config.dataDir, apiPort: config.apiPort, s3Port: config.s3Port, dynamoDbPort: config.dynamoDbPort,
      concurrency: config.concurrency, tapeMemoryMb: config.tapeMemoryMb, maxQueued: config.maxQueued, rotateKeys: Boolean(values['rotate-keys']), log, onRun: (r) => logRun(log, r),
      ...(values.demo ? { issuerIds: [...new Set(DEMO_TAPES.map((t) => t.issuerId))] } : {}),
    });
    await writeEnvFile({ path: dataPaths(stack.dataDir).env, endpoints: stack.endpoints, bucket: stack.bucket, ...(stack.createdKeys ? { createdKeys: stack.createdKeys } : {}) });
  } catch (e) {
    if (process.env.DMBS_DEBUG) console.error(e);
    const known = e instanceof LocalConfigError || e instanceof PortInUseError || e instanceof DataDirInUseError || isDmbsError(e);
    process.stderr.write(`dmbs-local: ${known ? (e as Error).message : `could not start: ${(e as Error)?.message ?? String(e)} (DMBS_DEBUG=1 shows details)`}\n`);
    return 1;
  }
  // performance.now() counts from process start: loading the bundle included.
  const startupMs = performance.now();
  process.stdout.write(`${bannerLines({ ...stack, envFile: dataPaths(stack.dataDir).env, startupMs, cwd: process.cwd() }).join('\n')}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ ready: true, endpoints: stack.endpoints, dataDir: stack.dataDir, keysFile: stack.keysFile })}\n`);

  const stopped = new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        // Asked to stop: the running tapes did not end the process, so they may be resumed.
        stack.runner.releaseAttempts();
        process.stderr.write('dmbs-local: stopping now; unfinished tapes are resumed or failed with a reason at the next start\n');
        process.exit(130);
      }
      process.stdout.write(`\n${signal}: stopping (running tapes finish first; press Ctrl-C again to stop at once)\n`);
      stack.stop().then(() => resolve(0), (e: unknown) => {
        process.stderr.write(`dmbs-local: stop failed: ${(e as Error)?.message ?? String(e)}\n`);
        resolve(1);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  if (values.demo) {
    try {
      const seeded = await seedDemoData(stack.clients.s3, stack.bucket, DEMO_DEALS, { settled: (tape) => tapeFinal(stack, tape) });
      if (seeded.alreadyPresent) log('info', 'demo data is already in this data directory; nothing uploaded');
      else {
        log('info', `demo: uploaded ${seeded.uploaded.length} tapes for ${new Set(DEMO_TAPES.map((t) => t.issuerId)).size} issuers; processing...`);
        await stack.runner.whenIdle();
        log('info', `demo: done; open ${stack.endpoints.api}/ and sign in with the reviewer key`);
      }
    } catch (e) {
      log('error', `demo data could not be uploaded: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  return stopped;
}

/** Waits (at most a minute) until the demo tape has a final status: the next month then compares with it. */
async function tapeFinal(stack: LocalStack, tape: DemoTape): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { items } = await stack.results.listTapesByDeal(tape.issuerId, tape.dealId, { limit: 10 });
    if (items.some((t) => t.fileName === tape.fileName && isFinalStatus(t.status))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function consoleLog(verbose: boolean): LocalLog {
  return (level, message, data) => {
    if (level === 'debug' && !verbose) return;
    const time = new Date().toISOString().slice(11, 19);
    const extra = data && verbose ? ` ${printable(JSON.stringify(data), { json: true })}` : '';
    // Messages carry object keys, which anyone who can upload chooses: one line each, no escapes.
    const line = `${time} ${level === 'info' || level === 'debug' ? '' : `${level.toUpperCase()} `}${printable(message)}${extra}\n`;
    (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);
  };
}

/** One line per finished upload. */
function logRun(log: LocalLog, r: RunResult): void {
  const where = r.object.key;
  const seconds = `${(r.milliseconds / 1000).toFixed(1)} s`;
  const state = r.run?.state;
  if (r.outcome === 'scored') {
    const v = state?.validation;
    log('info', `SCORED  ${where}  tape ${r.tapeId}  ${v?.rowCount ?? '?'} rows, data quality ${v?.dataQualityScore ?? '?'}, ${state?.score?.band ?? 'no score'}  (${seconds})`);
  } else if (r.outcome === 'failed' && r.run?.outcome === 'failed') {
    const f = r.run.state.failure;
    if (r.run.state.outcome === 'failed') log('info', `FAILED  ${where}  tape ${r.tapeId}  ${f.code}: ${f.message}`);
  } else if (r.outcome === 'stopped') {
    const stop = state?.stop;
    if (stop?.reason === 'DUPLICATE_CONTENT') log('info', `SAME    ${where}  tape ${r.tapeId}: ${stop.message}`);
    else log('debug', `duplicate notification for ${where} ignored (tape ${r.tapeId})`);
  }
}

process.exitCode = await main(process.argv.slice(2));
// Everything is closed by now; should a library still hold a handle, do not hang on it.
setTimeout(() => process.exit(), 2000).unref();
