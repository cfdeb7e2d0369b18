/**
 * `dmbs market exposures|transition` and `dmbs dmbx create|show|list`: the market view and DMBX
 * series of a stack, through its API (reviewer or onboarding key). Tables for people, `--json`
 * for machines. Presentation only: every figure comes from the API.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { DmbxSeries, DmbxSeriesPage, ExposurePage, TransitionResult } from '../api/generated/api.ts';
import { printable } from '../core/printable.ts';
import { ApiClient } from './api-client.ts';
import { table } from './human-output.ts';
import { resolveTarget } from './stack-target.ts';
import { UsageError } from './usage-error.ts';

export const MARKET_USAGE = `usage: dmbs market exposures --by tenantGroup|sponsor|market|facility [--as-of YYYY-MM-DD] [--limit N] [--json]
       dmbs market transition [--tenant-group KEY] [--as-of YYYY-MM-DD] [--json]
       (both: [--endpoint URL] [--token T]; a reviewer or onboarding key)

  Exposure of every deal's latest scored tape by key, and the off-balance-sheet debt returning to
  each tenant group's books by quarter.`;

export const DMBX_USAGE = `usage: dmbs dmbx create NAME --as-of YYYY-MM-DD [--rulebook FILE] [--json]
       dmbs dmbx show NAME [--json]
       dmbs dmbx list [--json]
       (all: [--endpoint URL] [--token T]; a reviewer or onboarding key)

  DMBX series: an immutable reference portfolio of deals with equal weights (a name is used once).`;

const BY = ['tenantGroup', 'sponsor', 'market', 'facility'];
const COMMON = { json: { type: 'boolean', default: false }, endpoint: { type: 'string' }, token: { type: 'string' } } as const;

function isoDay(value: string | undefined, flag: string, usage: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`${flag} takes a date YYYY-MM-DD, not '${value}'\n${usage}`);
  return value;
}

function output(out: NodeJS.WritableStream, json: boolean, value: unknown, lines: () => string[]): void {
  out.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${lines().join('\n')}\n`);
}

/** `dmbs market …`; returns the exit code (usage errors throw UsageError: exit 2). */
export async function runMarketCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { ...COMMON, by: { type: 'string' }, 'as-of': { type: 'string' }, limit: { type: 'string' }, 'tenant-group': { type: 'string' } },
  });
  const [sub, ...extra] = positionals;
  if (extra.length > 0 || (sub !== 'exposures' && sub !== 'transition')) throw new UsageError(`market takes exposures or transition\n${MARKET_USAGE}`);
  const asOf = isoDay(values['as-of'], '--as-of', MARKET_USAGE);
  const query = new URLSearchParams();
  if (asOf) query.set('asOf', asOf);
  if (sub === 'exposures') {
    if (!values.by || !BY.includes(values.by)) throw new UsageError(`--by takes one of ${BY.join(', ')}${values.by ? `, not '${values.by}'` : ''}\n${MARKET_USAGE}`);
    if (values['tenant-group'] !== undefined) throw new UsageError(`--tenant-group is for market transition\n${MARKET_USAGE}`);
    if (values.limit !== undefined && !/^\d{1,4}$/.test(values.limit)) throw new UsageError(`--limit takes a whole number from 1 to 1000, not '${values.limit}'`);
    query.set('by', values.by);
    query.set('limit', values.limit ?? '1000');
    const api = new ApiClient(resolveTarget({ endpoint: values.endpoint, token: values.token }, 'reader'));
    const page = await api.get<ExposurePage>(`/v1/market/exposures?${query}`);
    output(out, values.json, page, () => renderExposures(values.by!, page));
    return 0;
  }
  if (values.by !== undefined || values.limit !== undefined) throw new UsageError(`--by and --limit are for market exposures\n${MARKET_USAGE}`);
  if (values['tenant-group'] !== undefined) query.set('tenantGroup', values['tenant-group']);
  const api = new ApiClient(resolveTarget({ endpoint: values.endpoint, token: values.token }, 'reader'));
  const result = await api.get<TransitionResult>(`/v1/market/balance-sheet-transition${query.size ? `?${query}` : ''}`);
  output(out, values.json, result, () => renderTransition(result));
  return 0;
}

/** `dmbs dmbx …`; returns the exit code. */
export async function runDmbxCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...COMMON, 'as-of': { type: 'string' }, rulebook: { type: 'string' } } });
  const [sub, name, ...extra] = positionals;
  const target = () => new ApiClient(resolveTarget({ endpoint: values.endpoint, token: values.token }, 'reader'));
  if (extra.length > 0) throw new UsageError(`too many arguments\n${DMBX_USAGE}`);
  if (sub === 'list') {
    if (name !== undefined) throw new UsageError(`dmbx list takes no NAME\n${DMBX_USAGE}`);
    const page = await target().get<DmbxSeriesPage>('/v1/dmbx/series?limit=1000');
    output(out, values.json, page, () => (page.items.length === 0
      ? ['no DMBX series yet: dmbs dmbx create NAME --as-of YYYY-MM-DD']
      : table([['NAME', 'AS OF', 'DEALS', 'CREATED'], ...page.items.map((s) => [s.name, s.asOf, String(s.dealCount), s.createdAt])])));
    return 0;
  }
  if ((sub !== 'create' && sub !== 'show') || !name) throw new UsageError(`dmbx takes create NAME, show NAME or list\n${DMBX_USAGE}`);
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new UsageError(`a series NAME is 1 to 64 letters, digits, '.', '_' or '-', not '${printable(name)}'`);
  if (sub === 'show') {
    if (values['as-of'] !== undefined || values.rulebook !== undefined) throw new UsageError(`--as-of and --rulebook are for dmbx create\n${DMBX_USAGE}`);
    const series = await target().get<DmbxSeries>(`/v1/dmbx/series/${encodeURIComponent(name)}`);
    output(out, values.json, series, () => renderSeries(series));
    return 0;
  }
  const asOf = isoDay(values['as-of'], '--as-of', DMBX_USAGE);
  if (!asOf) throw new UsageError(`dmbx create needs --as-of YYYY-MM-DD\n${DMBX_USAGE}`);
  let rulebook: unknown;
  if (values.rulebook !== undefined) {
    let text: string;
    try {
      text = await readFile(values.rulebook, 'utf8');
    } catch (e) {
      throw new UsageError(`${values.rulebook}: cannot read the rulebook (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      rulebook = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${values.rulebook}: is not valid JSON (${(e as Error).message}); a rulebook is any part of schemas/dmbx-rulebook.json`);
    }
  }
  const series = await target().post<DmbxSeries>('/v1/dmbx/series', { name, asOf, ...(rulebook === undefined ? {} : { rulebook }) });
  output(out, values.json, series, () => renderSeries(series));
  return 0;
}

const share = (s: string | null) => (s === null ? '-' : `${(Number(s) * 100).toFixed(2)}%`);

function renderExposures(by: string, page: ExposurePage): string[] {
  const head = `exposure by ${by}${page.asOf ? ` as of ${page.asOf}` : ''}: ${page.dealCount} deals, eligible balance ${page.totalBalance}`;
  if (page.items.length === 0) return [head, 'no eligible loans in the deals\' latest scored tapes'];
  return [head, ...table([
    ['KEY', 'LABEL', 'BALANCE', 'SHARE', 'DEALS'],
    ...page.items.map((i) => [printable(i.key), printable(i.label), i.balance, share(i.share), String(i.dealCount)]),
  ]), ...(page.nextToken ? ['(more: use --json and the API\'s nextToken)'] : [])];
}

function renderTransition(result: TransitionResult): string[] {
  const head = `off-balance-sheet debt returning to tenant groups' books${result.asOf ? ` as of ${result.asOf}` : ''}`;
  if (result.quarters.length === 0) return [head, 'no off-balance-sheet loans in the deals\' latest scored tapes'];
  return [head, ...table([
    ['QUARTER', 'AMOUNT', 'LOANS', 'BY TENANT GROUP'],
    ...result.quarters.map((q) => [q.quarter, q.amount, String(q.loanCount), q.byTenantGroup.map((t) => `${printable(t.key)} ${t.amount}`).join('; ')]),
  ])];
}

/** One series, for people: its deals with weights, the largest look-through shares, the caps. */
export function renderSeries(s: DmbxSeries): string[] {
  const lines = [`DMBX series ${s.name} as of ${s.asOf} (created ${s.createdAt}): ${s.deals.length} deals`];
  if (s.deals.length > 0) {
    lines.push(...table([
      ['#', 'ISSUER', 'DEAL', 'REPORTING DATE', 'ELIGIBLE BALANCE', 'WEIGHT', 'TAPE ID'],
      ...s.deals.map((d, i) => [String(i + 1), d.issuerId, d.dealId, d.reportingDate, d.eligibleBalance, d.weight, d.tapeId]),
    ]));
  } else lines.push('no deal met every rule of the rulebook on that date');
  for (const by of ['tenantGroup', 'sponsor', 'market'] as const) {
    const top = s.lookThrough[by].slice(0, 5).map((i) => `${printable(i.label)} ${share(i.share)}`).join('; ');
    if (top) lines.push(`look-through ${by}: ${top}${s.lookThrough[by].length > 5 ? '; …' : ''}`);
  }
  lines.push(...table([
    ['CAP', 'LARGEST', 'SHARE', 'LIMIT', 'RESULT'],
    ...s.caps.map((c) => [c.by, c.key === null ? '-' : printable(c.key), share(c.share), share(c.limit), c.pass === null ? '-' : c.pass ? 'pass' : 'FAIL']),
  ]));
  return lines;
}
