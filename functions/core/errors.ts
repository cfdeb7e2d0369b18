/**
 * The one error hierarchy of the product. Codes are public and stable: never rename one.
 * A bad cell is a finding in the report, not an exception; throw only when a run cannot go on.
 */

/** Codes of errors that stop a run (the tape cannot be read or used). */
export type DmbsErrorCode =
  | 'TAPE_EMPTY'
  | 'TAPE_HEADER_MISSING'
  | 'TAPE_FORMAT_UNKNOWN'
  | 'TAPE_ENCODING'
  | 'TAPE_MALFORMED'
  | 'TAPE_LIMIT_EXCEEDED'
  | 'NO_VALID_LOANS'
  | 'COLUMN_DUPLICATE'
  | 'COLUMN_MISSING'
  | 'MAPPING_INVALID'
  | 'KIND_UNKNOWN'
  | 'KIND_MISMATCH'
  | 'CRITERIA_INVALID'
  | 'RESIDUAL_CURVE_INVALID'
  | 'STRESS_MODEL_INVALID'
  | 'WATCHLIST_CRITERIA_INVALID'
  | 'DMBX_RULEBOOK_INVALID'
  | 'DMBX_SERIES_EXISTS'
  | 'MARKET_PARAMETER_INVALID'
  | 'KEYS_INVALID'
  | 'XLSX_INVALID'
  | 'XLSX_SHEET_NOT_FOUND'
  | 'OBJECT_KEY_INVALID'
  | 'OBJECT_NOT_FOUND'
  | 'USAGE';

/** Base class: a stable `code`, a message a person can act on, and the underlying `cause`. */
export class DmbsError extends Error {
  readonly code: DmbsErrorCode;
  /** Spreadsheet row number the error is about, when there is one. */
  readonly row?: number;

  constructor(code: DmbsErrorCode, message: string, options: { cause?: unknown; row?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    if (options.row !== undefined) this.row = options.row;
  }
}

/** The file cannot be read as a tape (format, encoding, structure, limits). */
export class TapeReadError extends DmbsError {}

/**
 * The tape was read and validated, but no row is a valid loan (NO_VALID_LOANS): there is nothing to
 * evaluate. Its report and findings say why, row by row.
 */
export class TapeVerdictError extends DmbsError {}

/** The tape's header cannot be mapped onto the standard (duplicate or missing columns, bad mapping file). */
export class MappingError extends DmbsError {}

/** An uploaded object cannot be taken in as a tape: its key is not `incoming/{issuerId}/{dealId}/{fileName}`, or it vanished or changed before it was read. */
export class TapeObjectError extends DmbsError {}

/** A configuration document (mapping, criteria) does not satisfy its schema. */
export class ConfigError extends DmbsError {}

/** A request's parameter or body field is not acceptable (market view, DMBX series): the message names it. */
export class RequestError extends DmbsError {}

/** The request would change something immutable (a DMBX series name already used). */
export class ConflictError extends DmbsError {}

/** True for errors whose message is meant for a person (everything else is a bug: log it, show a generic line). */
export function isDmbsError(error: unknown): error is DmbsError {
  return error instanceof DmbsError;
}
