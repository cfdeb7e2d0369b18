// The DMBX view of the reviewers' page (#/dmbx, #/dmbx/NAME): the series list and a form that
// fixes a new series, and one series' composition with weights, look-through charts by tenant
// group, sponsor and market, and its caps with pass or fail. Reviewer and onboarding keys only.
import { exposureChart } from './market-view.js';

const LOOK_THROUGH = [['tenantGroup', 'Tenant group'], ['sponsor', 'Sponsor'], ['market', 'Market']];

/** #/dmbx: the series and the create form. */
export async function showDmbxList(seq, ui) {
  const page = await ui.api('/v1/dmbx/series?limit=1000');
  if (!ui.isCurrent(seq)) return;
  const rows = page.items.map((s) => [ui.h('a', { href: `#/dmbx/${encodeURIComponent(s.name)}` }, s.name), s.asOf, String(s.dealCount), ui.when(s.createdAt)]);
  const name = ui.h('input', { id: 'dmbx-name', name: 'name', required: true, pattern: '[A-Za-z0-9._\\-]{1,64}', maxlength: 64, placeholder: 'DMBX-2026-1' });
  const asOf = ui.h('input', { id: 'dmbx-as-of', name: 'asOf', type: 'date', required: true });
  const rulebook = ui.h('textarea', { id: 'dmbx-rulebook', name: 'rulebook', rows: 3, spellcheck: 'false', placeholder: '{ "maxDeals": 10 }' });
  const status = ui.h('p', { id: 'dmbx-status', role: 'alert', class: 'error' });
  const form = ui.h('form', { class: 'card', 'aria-labelledby': 'dmbx-create' },
    ui.h('h2', { id: 'dmbx-create' }, 'Fix a new series'),
    ui.h('p', { class: 'muted' }, 'Series are immutable: a name is used once. The rulebook (optional) is any part of the default rulebook, as JSON.'),
    ui.h('div', { class: 'form-row' },
      ui.h('div', {}, ui.h('label', { for: 'dmbx-name' }, 'Name'), name),
      ui.h('div', {}, ui.h('label', { for: 'dmbx-as-of' }, 'As of'), asOf)),
    ui.h('div', {}, ui.h('label', { for: 'dmbx-rulebook' }, 'Rulebook (JSON, optional)'), rulebook),
    status,
    ui.h('button', { type: 'submit' }, 'Create series'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.textContent = '';
    let rules;
    if (rulebook.value.trim()) {
      try { rules = JSON.parse(rulebook.value); } catch (err) { status.textContent = `The rulebook is not valid JSON: ${err.message}`; return; }
    }
    try {
      const series = await ui.api('/v1/dmbx/series', { method: 'POST', body: { name: name.value.trim(), asOf: asOf.value, ...(rules === undefined ? {} : { rulebook: rules }) } });
      location.hash = `#/dmbx/${encodeURIComponent(series.name)}`;
    } catch (err) {
      if (err.status !== 401) status.textContent = err.message;
    }
  });
  ui.main.replaceChildren(
    ui.h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, ui.h('a', { href: '#/' }, 'Deals'), ' / ', ui.h('a', { href: '#/market' }, 'Market'), ' / DMBX'),
    ui.h('h1', {}, 'DMBX series'),
    ui.card('Series', ui.table(['Name', 'As of', { label: 'Deals', num: true }, 'Created'], rows, 'DMBX series')),
    form);
  ui.announce('DMBX series loaded');
}

/** #/dmbx/NAME: one series. */
export async function showDmbxSeries(seq, ui, name) {
  const s = await ui.api(`/v1/dmbx/series/${encodeURIComponent(name)}`);
  if (!ui.isCurrent(seq)) return;
  const deals = s.deals.map((d, i) => [String(i + 1), d.issuerId, ui.h('a', { href: `#/deal/${encodeURIComponent(d.issuerId)}/${encodeURIComponent(d.dealId)}` }, d.dealId),
    d.reportingDate, ui.moneyCell(d.eligibleBalance), ui.percent(d.weight), ui.h('a', { href: `#/tape/${d.tapeId}` }, d.tapeId.slice(0, 8))]);
  const caps = s.caps.map((c) => [c.by, c.key ?? '—', ui.percent(c.share), ui.percent(c.limit),
    c.pass === null ? ui.h('span', { class: 'muted' }, 'no deal') : ui.badge(c.pass ? 'pass' : 'fail', c.pass ? 'pass' : 'fail')]);
  const charts = LOOK_THROUGH.map(([by, title]) => {
    const box = ui.chartBox(`Look-through share by ${title.toLowerCase()}`, true);
    const items = s.lookThrough[by];
    const rows = items.slice(0, 20).map((i) => [i.label, ui.percent(i.share)]);
    const section = ui.card(`Look-through: ${title.toLowerCase()}`,
      items.length === 0 ? ui.h('p', { class: 'muted' }, 'No deal in the series.') : box.box,
      ui.table(['Name', { label: 'Share', num: true }], rows, `Look-through by ${title}`));
    return { section, draw: () => items.length > 0 && exposureChart(ui, box.canvas, items.map((i) => ({ ...i, balance: Number(i.share) * 100 })), `${title} share (%)`) };
  });
  ui.main.replaceChildren(
    ui.h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, ui.h('a', { href: '#/' }, 'Deals'), ' / ', ui.h('a', { href: '#/dmbx' }, 'DMBX'), ` / ${s.name}`),
    ui.h('h1', {}, `DMBX series ${s.name}`),
    ui.statList([['As of', s.asOf], ['Deals', String(s.deals.length)], ['Created', ui.when(s.createdAt)], ['Max deals', String(s.rulebook.maxDeals ?? '—')]]),
    ui.card('Composition', s.deals.length === 0 ? ui.h('p', { class: 'muted' }, 'No deal met every rule of the rulebook on that date.') : null,
      ui.table(['#', 'Issuer', 'Deal', 'Reporting date', { label: 'Eligible balance', num: true }, { label: 'Weight', num: true }, 'Tape'], deals, 'Series composition')),
    ui.card('Caps (reported, not enforced)', ui.table(['By', 'Largest key', { label: 'Share', num: true }, { label: 'Limit', num: true }, 'Result'], caps, 'Caps')),
    ui.h('div', { class: 'grid' }, ...charts.map((c) => c.section)));
  for (const c of charts) c.draw();
  ui.announce(`Series ${s.name} loaded`);
}
