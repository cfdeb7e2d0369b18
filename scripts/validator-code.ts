/**
 * Renders the product's hot-path validators (functions/core/schema/validator-definitions.ts) as ajv
 * standalone code, self-contained: the few runtime helpers ajv's code would `require` (ucs2length,
 * fast-deep-equal, the fast `date` format's pattern) are inlined, so the modules need nothing at run time — the Lambda
 * bundles and the CLI alike. Used by `npm run gen:validators` to write them and by a test that fails on drift.
 */
import standaloneModule from 'ajv/dist/standalone/index.js';
import equalModule from 'ajv/dist/runtime/equal.js';
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import { fastFormats } from 'ajv-formats/dist/formats.js';
import { createAjv } from '../functions/core/schema/ajv.ts';
import { VALIDATOR_DEFINITIONS, type ValidatorDefinition } from '../functions/core/schema/validator-definitions.ts';

type Standalone = (ajv: unknown, validate: unknown) => string;
const standaloneCode = ((standaloneModule as unknown as { default?: Standalone }).default ?? standaloneModule) as Standalone;
const equal = ((equalModule as unknown as { default?: (a: unknown, b: unknown) => boolean }).default ?? equalModule) as (a: unknown, b: unknown) => boolean;
const ucs2length = ((ucs2lengthModule as unknown as { default?: (s: string) => number }).default ?? ucs2lengthModule) as (s: string) => number;

export const GENERATED_VALIDATORS = VALIDATOR_DEFINITIONS.map((d) => ({ ...d, out: `functions/core/generated/validators/${d.name}.ts` }));

/** What ajv's standalone code requires, and the self-contained source put in its place. */
const INLINED: ReadonlyArray<readonly [string, string]> = [
  ['require("ajv/dist/runtime/ucs2length").default', `(${ucs2length.toString()})`],
  ['require("ajv/dist/runtime/equal").default', `(${equal.toString()})`],
  ['require("ajv-formats/dist/formats").fastFormats.date', `{ validate: ${(fastFormats.date as { validate: RegExp }).validate.toString()} }`],
];

/** The text of one generated module. */
export function renderValidator(definition: ValidatorDefinition): string {
  const ajv = createAjv({ ...definition.options, standalone: true });
  let code = standaloneCode(ajv, ajv.compile(definition.schema()));
  for (const [required, inline] of INLINED) code = code.split(required).join(inline);
  if (code.includes('require(')) throw new Error(`${definition.name}: the standalone code still requires a module: ${/require\([^)]*\)/.exec(code)![0]}`);
  const main = /export default (\w+);/.exec(code)?.[1];
  if (!main) throw new Error(`${definition.name}: no default export in ajv's standalone code`);
  code = code.replace(/^"use strict";/, '').replace(/export const validate = \w+;/, '').replace(/export default \w+;/, '');
  return [
    '// @ts-nocheck',
    '/* eslint-disable */',
    `// GENERATED from ${definition.schemaFile} by \`npm run gen:validators\` (ajv standalone code, options ${JSON.stringify(definition.options)}).`,
    '// Do not edit: change the schema or functions/core/schema/validator-definitions.ts and regenerate.',
    "import type { ValidateFunction } from '../../schema/ajv.ts';",
    code.trim(),
    `const validator: ValidateFunction = ${main};`,
    'export default validator;',
    '',
  ].join('\n');
}
