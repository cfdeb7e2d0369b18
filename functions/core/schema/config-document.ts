/**
 * What every deal-level configuration document (criteria, stress model, watchlist thresholds) does
 * alike: merge a deal's file over the published defaults, and check a document against its schema
 * with errors that name the JSON path of each bad value.
 */
import { ConfigError, type DmbsErrorCode } from '../errors.ts';
import { errorPath, type ErrorObject, type ValidateFunction } from './ajv.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `over` merged into `base`: objects key by key; arrays and values replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = Object.hasOwn(base, key) ? deepMerge(base[key], value) : value;
  return out;
}

/** Freezes a parsed document and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** One line per ajv error: `/path: what is wrong`. */
export function describeSchemaError(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${String((error.params as { additionalProperty: string }).additionalProperty)}: unknown key`;
  }
  return `${errorPath(error)}: ${error.message ?? 'is invalid'}`;
}

/**
 * `doc` when it satisfies the schema of `validate`.
 * @throws ConfigError with `code`: "source: /a/b: must be <= 1; /c: unknown key".
 */
export function checkedDocument<T>(validate: ValidateFunction, doc: unknown, source: string, code: DmbsErrorCode): T {
  if (validate(doc)) return doc as T;
  const problems = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describeSchemaError);
  throw new ConfigError(code, `${source}: ${[...new Set(problems)].join('; ')}`);
}
