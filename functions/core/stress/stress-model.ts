/**
 * The stress model in force for a deal: its stress file deep-merged over schemas/stress-model.json
 * and checked against schemas/stress-model.schema.json, then compiled into exact Decimals once.
 * Parameters live in schemas/, never here. Pure: the caller reads the file and passes the JSON.
 */
import type { Decimal } from 'decimal.js';
import stressSchema from '../../../schemas/stress-model.schema.json' with { type: 'json' };
import defaultModel from '../../../schemas/stress-model.json' with { type: 'json' };
import { ConfigError } from '../errors.ts';
import { groupKey } from '../evaluation/group-key.ts';
import { Exact } from '../evaluation/exact.ts';
import type { StressModel as StressModelDocument } from '../generated/stress-model.ts';
import { createAjv, type ValidateFunction } from '../schema/ajv.ts';
import { checkedDocument, deepMerge } from '../schema/config-document.ts';

/** A rating level: the largest cumulative stressed LTV it can carry. */
export interface RatingLevel {
  readonly rating: string;
  readonly maxStressedLtv: Decimal;
}

/** A tranche of the deal, senior first. */
export interface Tranche {
  readonly name: string;
  readonly share: Decimal;
}

/** The model as arithmetic uses it: every parameter an exact Decimal (the decimal written in the file). */
export interface StressModel {
  /** The effective document (defaults merged with the deal's file): what a worker or a later step loads again. */
  readonly document: StressModelDocument;
  readonly id: string;
  readonly version: string;
  readonly ncfHaircut: {
    readonly base: Decimal;
    readonly addIfTenantBelowInvestmentGrade: Decimal;
    readonly addIfEarlyTerminationRight: Decimal;
    readonly addIfNotOperational: Decimal;
    readonly max: Decimal;
  };
  readonly capRate: {
    readonly base: Decimal;
    /** Normalised market key (as C05's) -> add-on. */
    readonly marketAdd: ReadonlyMap<string, Decimal>;
  };
  readonly ratingLevels: readonly RatingLevel[];
  readonly tranches: readonly Tranche[];
}

let validate: ValidateFunction | undefined;
let defaults: StressModel | undefined;

/**
 * The deal's stress model: `doc` (a parsed stress file; absent = the defaults) merged over the
 * defaults. Objects merge key by key; arrays and values replace.
 * @param source names the file in messages (default "stress model").
 * @throws ConfigError `STRESS_MODEL_INVALID` naming the JSON path of every bad value.
 * @example const model = loadStressModel({ capRate: { base: 0.09 } }, 'stress/issuer/deal.json');
 */
export function loadStressModel(doc?: unknown, source = 'stress model'): StressModel {
  // The published defaults are not checked here: compiling the schema costs more than a range of a
  // tape, and every worker thread loads them (test/unit/stress checks the file against its schema).
  defaults ??= compile(defaultModel as StressModelDocument, 'schemas/stress-model.json');
  if (doc === undefined) return defaults;
  checked(doc, source);
  return compile(checked(deepMerge(defaultModel, doc), source), source);
}

function checked(doc: unknown, source: string): StressModelDocument {
  validate ??= createAjv().compile(stressSchema);
  return checkedDocument<StressModelDocument>(validate, doc, source, 'STRESS_MODEL_INVALID');
}

function invalid(source: string, problem: string): ConfigError {
  return new ConfigError('STRESS_MODEL_INVALID', `${source}: ${problem}`);
}

// A JSON number is read as the decimal its shortest text writes (0.58 + 0.42 is exactly 1).
const exact = (n: number | undefined): Decimal => new Exact(String(n ?? 0));

function compile(doc: StressModelDocument, source: string): StressModel {
  const marketAdd = new Map<string, Decimal>();
  const namedAs = new Map<string, string>();
  for (const [name, add] of Object.entries(doc.capRate?.marketAdd ?? {})) {
    const key = groupKey(name);
    const earlier = namedAs.get(key);
    if (earlier !== undefined) throw invalid(source, `/capRate/marketAdd/${name}: '${earlier}' and '${name}' are the same market once compared as for C05; keep one`);
    namedAs.set(key, name);
    marketAdd.set(key, exact(add));
  }
  const ratings = new Set<string>();
  const ratingLevels = (doc.ratingLevels ?? []).map((level, i) => {
    if (ratings.has(level.rating)) throw invalid(source, `/ratingLevels/${i}/rating: '${level.rating}' is listed twice`);
    ratings.add(level.rating);
    return { rating: level.rating, maxStressedLtv: exact(level.maxStressedLtv) };
  });
  const tranches = (doc.tranches ?? []).map((t) => ({ name: t.name, share: exact(t.share) }));
  if (tranches.length > 0) {
    const total = tranches.reduce((sum, t) => sum.plus(t.share), new Exact(0));
    if (!total.eq(1)) throw invalid(source, `/tranches: the shares sum to ${total.toString()}, not 1; give each tranche's share of the pool so that they add up to exactly 1`);
  }
  const h = doc.ncfHaircut ?? {};
  return {
    document: doc,
    id: doc.id ?? '',
    version: doc.version ?? '',
    ncfHaircut: {
      base: exact(h.base),
      addIfTenantBelowInvestmentGrade: exact(h.addIfTenantBelowInvestmentGrade),
      addIfEarlyTerminationRight: exact(h.addIfEarlyTerminationRight),
      addIfNotOperational: exact(h.addIfNotOperational),
      max: exact(h.max),
    },
    capRate: { base: exact(doc.capRate?.base), marketAdd },
    ratingLevels,
    tranches,
  };
}
