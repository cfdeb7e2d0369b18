/**
 * The `dmbs` command: argument parsing and the error boundary. Every failure a user can cause is
 * one line `dmbs: FILE: reason` and exit 2; never a stack trace (set DMBS_DEBUG=1 to see one).
 */
import { parseArgs } from 'node:util';
import { isDmbsError } from '../core/errors.ts';
import { runCheck } from './check-command.ts';
import { DMBX_USAGE, MARKET_USAGE, runDmbxCommand, runMarketCommand } from './market-command.ts';
import { runReportCommand, REPORT_USAGE } from './report-command.ts';
import { runRescoreCommand, RESCORE_USAGE } from './rescore-command.ts';
import { runStatusCommand, STATUS_USAGE } from './status-command.ts';
import { runUploadCommand, UPLOAD_USAGE } from './upload-command.ts';
import { UsageError } from './usage-error.ts';
import packageJson from '../../package.json' with { type: 'json' };

const USAGE = `usage: dmbs --version
       dmbs check FILE [--json] [--mapping F] [--criteria F] [--sheet NAME] [--format csv|xlsx|ndjson]
                  [--deal ID] [--max-errors N] [--errors-out F.ndjson] [--loans-out F.ndjson] [--workers N]
                  [--max-field-chars N] [--max-columns N] [--prior PRIOR_TAPE [--prior-mapping F] [--watchlist F]]
                  [--stress F] [--curve F] [--kind loan|compute]

  Checks a DMBS tape (CSV, XLSX or NDJSON) offline against the DMBS standard: a loan tape, or a compute-equipment
  (GPU) lot tape, told apart by the header (a header mapping lotId and gpuModel and no loanId is a compute tape).
  --kind loan|compute: read the tape as this kind; a header of the other kind is an error (KIND_MISMATCH).
  --criteria F: the deal's criteria over the defaults of the tape's kind (schemas/default-criteria.json,
               schemas/compute-criteria.json). --curve F: a compute tape's residual-value curve over
               schemas/compute-residual-curve.json.
  Exit status: 0 no errors; 1 the tape has errors (report printed); 2 the file cannot be read as a tape, or bad usage.
  --prior PRIOR_TAPE: the deal's previous tape (any format; its own --prior-mapping): the report gets a watchlist
               of the loans to look at (W01-W08, thresholds from --watchlist F or schemas/watchlist-criteria.json).
  --stress F: the deal's stress model (any part of schemas/stress-model.json, and its tranches), over the defaults.
  --workers N: threads that check the tape (CSV/NDJSON: byte ranges; XLSX: read and checked side by side);
               default: the cores, 1 under 16 MB (and with --loans-out). The report is the same for any N.

${UPLOAD_USAGE}

${STATUS_USAGE}

${REPORT_USAGE}

${RESCORE_USAGE}

${MARKET_USAGE}

${DMBX_USAGE}`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not '${value}'`);
  return Number(value);
}

/** Where the CLI writes: the process's streams, or a test's collectors (the check runs in-process). */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliStreams = process): Promise<number> {
  const [command, ...rest] = argv;
  let file: string | undefined;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      io.stdout.write(`dmbs ${packageJson.version}\n`);
      return 0;
    }
    if (command === 'upload') return await runUploadCommand(rest);
    if (command === 'status') return await runStatusCommand(rest);
    if (command === 'report') return await runReportCommand(rest);
    if (command === 'rescore') return await runRescoreCommand(rest);
    if (command === 'market') return await runMarketCommand(rest);
    if (command === 'dmbx') return await runDmbxCommand(rest);
    if (command !== 'check') throw new UsageError(`unknown command '${command}'\n${USAGE}`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        mapping: { type: 'string' },
        criteria: { type: 'string' },
        sheet: { type: 'string' },
        format: { type: 'string' },
        deal: { type: 'string' },
        'max-errors': { type: 'string' },
        'errors-out': { type: 'string' },
        'loans-out': { type: 'string' },
        workers: { type: 'string' },
        'max-field-chars': { type: 'string' },
        'max-columns': { type: 'string' },
        prior: { type: 'string' },
        'prior-mapping': { type: 'string' },
        watchlist: { type: 'string' },
        stress: { type: 'string' },
        curve: { type: 'string' },
        kind: { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError(`check takes exactly one FILE\n${USAGE}`);
    file = positionals[0]!;
    const format = values.format;
    if (format !== undefined && !['csv', 'xlsx', 'ndjson'].includes(format)) throw new UsageError(`--format must be csv, xlsx or ndjson, not '${format}'`);
    const maxErrors = positiveInt('max-errors', values['max-errors']);
    const workers = positiveInt('workers', values.workers);
    const maxFieldChars = positiveInt('max-field-chars', values['max-field-chars']);
    const maxColumns = positiveInt('max-columns', values['max-columns']);
    const limits = { ...(maxFieldChars ? { maxFieldChars } : {}), ...(maxColumns ? { maxColumns } : {}) };
    if (workers === 0) throw new UsageError('--workers takes a whole number of at least 1');
    return await runCheck({
      file,
      json: values.json,
      ...(values.mapping ? { mapping: values.mapping } : {}),
      ...(values.prior ? { prior: values.prior } : {}),
      ...(values['prior-mapping'] ? { priorMapping: values['prior-mapping'] } : {}),
      ...(values.watchlist ? { watchlist: values.watchlist } : {}),
      ...(values.criteria ? { criteria: values.criteria } : {}),
      ...(values.stress ? { stress: values.stress } : {}),
      ...(values.curve ? { curve: values.curve } : {}),
      ...(values.kind ? { kind: values.kind } : {}),
      ...(values.sheet ? { sheet: values.sheet } : {}),
      ...(format ? { format: format as 'csv' | 'xlsx' | 'ndjson' } : {}),
      ...(values.deal ? { dealId: values.deal } : {}),
      ...(maxErrors !== undefined ? { maxErrors } : {}),
      ...(values['errors-out'] ? { errorsOut: values['errors-out'] } : {}),
      ...(values['loans-out'] ? { loansOut: values['loans-out'] } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    }, io.stdout);
  } catch (error) {
    if (process.env.DMBS_DEBUG) console.error(error);
    if (error instanceof UsageError) io.stderr.write(`dmbs: ${error.message}\n`);
    else if (isDmbsError(error)) io.stderr.write(`dmbs: ${file ?? '-'}: ${error.message}\n`);
    else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) io.stderr.write(`dmbs: ${(error as Error).message}\n${USAGE}\n`);
    else io.stderr.write(`dmbs: ${file ?? '-'}: internal error: ${(error as Error)?.message ?? String(error)} (please report this; DMBS_DEBUG=1 shows details)\n`);
    return 2;
  }
}
