/**
 * The tape kinds the product reads, and which kind a tape is. A kind is named (`--kind`, the
 * deal's declared kind) or detected from the header: each kind's `detect` over the fields the
 * header maps (by name, alias or the deal's mapping). Detection never picks between two kinds
 * that both claim a header: the kinds' rules are exclusive (the compute tape's excludes loanId).
 */
import type { ColumnMapping } from '../generated/column-mapping.ts';
import { ConfigError } from '../errors.ts';
import { HeaderResolver } from '../mapping/column-mapping.ts';
import { COMPUTE_KIND } from './compute/kind.ts';
import { LOAN_TAPE_KIND } from './loan-tape/kind.ts';

/** Every kind, the default (the loan tape) first. */
export const TAPE_KINDS = [LOAN_TAPE_KIND, COMPUTE_KIND] as const;

export type AnyTapeKind = (typeof TAPE_KINDS)[number];
export type TapeKindId = AnyTapeKind['id'];
/** A kind's settings as data (`settingsData`), as a range task carries them to another thread. */
export type KindSettingsData = ReturnType<AnyTapeKind['settingsData']>;
/** A kind's aggregate as data (`toTransfer`), as a range's result carries it back. */
export type KindAggregateTransfer = ReturnType<AnyTapeKind['toTransfer']>;

/** The ids, for messages and option lists. */
export const TAPE_KIND_IDS: readonly TapeKindId[] = TAPE_KINDS.map((k) => k.id);

/** The kind of an id. @throws ConfigError KIND_UNKNOWN */
export function kindById(id: string): AnyTapeKind {
  const kind = TAPE_KINDS.find((k) => k.id === id);
  if (!kind) throw new ConfigError('KIND_UNKNOWN', `unknown tape kind '${id}'; use one of: ${TAPE_KIND_IDS.join(', ')}`);
  return kind;
}

const resolvers = new Map<string, HeaderResolver>();

/**
 * The fields a header maps, in any kind: the deal's mapping where it names a header, else each
 * kind's names and aliases (so a compute header holding a loan tape's "Loan ID" maps loanId).
 */
export function mappedFields(headers: readonly string[], mapping?: ColumnMapping): Set<string> {
  const explicit = new Map(Object.entries(mapping?.columns ?? {}).map(([h, v]) => [h.trim(), typeof v === 'string' ? v : v.field]));
  const ignored = new Set((mapping?.ignore ?? []).map((h) => h.trim()));
  const out = new Set<string>();
  for (const header of headers) {
    const field = explicit.get(header.trim());
    if (field !== undefined) {
      out.add(field);
      continue;
    }
    if (ignored.has(header.trim())) continue; // the deal's mapping leaves this column out (as HeaderResolver does)
    for (const kind of TAPE_KINDS) {
      let resolver = resolvers.get(kind.id);
      if (!resolver) resolvers.set(kind.id, (resolver = new HeaderResolver(undefined, kind.validation.fields, kind.validation.fieldByName)));
      const name = resolver.resolve(header).field?.name;
      if (name !== undefined) out.add(name);
    }
  }
  return out;
}

/**
 * The kind of a tape from its header (the cells of a CSV or XLSX header row, the keys of an
 * NDJSON tape's first object): the kind other than the default whose rule the header meets, else
 * the default (the loan tape, whose missing columns are then reported as for any loan tape).
 */
export function detectKind(headers: readonly string[], mapping?: ColumnMapping): AnyTapeKind {
  const fields = mappedFields(headers, mapping);
  for (const kind of TAPE_KINDS.slice(1)) if (kind.detect(fields)) return kind;
  return LOAN_TAPE_KIND;
}
