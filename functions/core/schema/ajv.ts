/**
 * The one way the product builds an ajv instance: JSON Schema 2020-12, the `x-` annotations of
 * schemas/ declared as vocabulary (standard JSON Schema, no private validation keywords), formats.
 * Compile each schema once per process (ajv's "managing schemas" guide), never per row.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose
// `default` is the plugin (bundlers hand over the plugin itself).
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

/** Annotation keywords used in schemas/: documentation and code read them; validation ignores them. */
const ANNOTATIONS = [
  'x-kind', 'x-group', 'x-unit', 'x-nd-allowed', 'x-criticality', 'x-aliases', 'x-standard-version',
  'x-nd-codes', 'x-data-quality', 'x-cross-field-rules', 'x-finding-codes', 'x-limit-unit', 'x-description', 'x-format-hint',
  'x-tape-kind',
];

export type { ErrorObject, ValidateFunction };

/**
 * A configured ajv instance.
 * @param fastDates `true` checks `date` only by pattern: the loan validator has already checked
 *   calendar validity while coercing, and checking it twice costs time on every row.
 * @param unicodeRegExp `false` compiles patterns without the `u` flag (see validator-definitions.ts).
 * @param unicode `false` measures string lengths in UTF-16 units, not code points (faster; see
 *   row-validator.ts for where that is exact).
 */
export function createAjv(options: { allErrors?: boolean; fastDates?: boolean; unicode?: boolean; unicodeRegExp?: boolean; standalone?: boolean } = {}) {
  const ajv = new Ajv2020({
    allErrors: options.allErrors ?? true, strict: true, strictRequired: false, allowUnionTypes: true,
    // `standalone`: keep the generated source, for ajv's standalone code (scripts/validator-code.ts).
    ...(options.standalone ? { code: { source: true, esm: true } } : {}),
    // `unicode: false` still works (limitLength.js) but ajv 8 warns that it is deprecated: say it once, here.
    ...(options.unicode === false ? { unicode: false, logger: quietAboutUnicode } : {}),
    ...(options.unicodeRegExp === false ? { unicodeRegExp: false } : {}),
  });
  addFormats(ajv, { mode: options.fastDates ? 'fast' : 'full', formats: ['date', 'date-time', 'uri', 'email'] });
  ajv.addVocabulary(ANNOTATIONS);
  return ajv;
}

const quietAboutUnicode = {
  log: (...args: unknown[]) => console.log(...args),
  warn: (...args: unknown[]) => { if (!String(args[0]).startsWith('DEPRECATED: option unicode')) console.warn(...args); },
  error: (...args: unknown[]) => console.error(...args),
};

/** `/a/b` style path of an ajv error, with the missing property for `required`. */
export function errorPath(error: ErrorObject): string {
  const missing = error.keyword === 'required' ? `/${(error.params as { missingProperty: string }).missingProperty}` : '';
  return `${error.instancePath}${missing}` || '/';
}
