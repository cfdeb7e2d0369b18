// The Market view of the reviewers' page (#/market): exposure of every deal's latest scored tape
// by tenant group, sponsor, market and facility (a chart and a table each), and the balance-sheet
// transition by quarter stacked by tenant group. Reviewer and onboarding keys only (the API
// answers 403 to an issuer). `ui` is the page's helpers (web/app.js), passed in to avoid a cycle.

const DIMENSIONS = [
  ['tenantGroup', 'Tenant group'],
  ['sponsor', 'Sponsor'],
  ['market', 'Market'],
  ['facility', 'Facility'],
];
/** Bars drawn per chart; the table lists every key of the page. */
const TOP = 10;

/** Top keys of a list and the rest summed as "Other" (exact money stays in the tables; charts take numbers). */
function topWithOther(items, value, n = TOP) {
  const top = items.slice(0, n).map((i) => ({ label: i.label, value: value(i) }));
  const rest = items.slice(n).reduce((sum, i) => sum + value(i), 0);
  return rest > 0 ? [...top, { label: 'Other', value: rest }] : top;
}

export function exposureChart(ui, canvas, items, title) {
  const bars = topWithOther(items, (i) => Number(i.balance));
  ui.makeChart(canvas, {
    type: 'bar',
    data: { labels: bars.map((b) => b.label), datasets: [{ label: title, data: bars.map((b) => b.value), backgroundColor: ui.COLORS.accent }] },
    options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, title: { display: true, text: 'eligible balance' } } } },
  });
}

function exposureCard(ui, by, title, page) {
  const chart = ui.chartBox(`${title}: exposure by eligible balance, largest first`, true);
  const rows = page.items.map((i) => [i.label, ui.h('code', {}, i.key), ui.moneyCell(i.balance), ui.percent(i.share), String(i.dealCount)]);
  const section = ui.card(`Exposure by ${title.toLowerCase()}`,
    page.items.length === 0 ? ui.h('p', { class: 'muted' }, 'No eligible loans in the deals\' latest scored tapes.') : chart.box,
    ui.table(['Name', 'Key', { label: 'Eligible balance', num: true }, { label: 'Share', num: true }, { label: 'Deals', num: true }], rows, `Exposure by ${title}`),
    page.nextToken ? ui.h('p', { class: 'muted' }, `Showing the largest ${page.items.length}; GET /v1/market/exposures?by=${by} pages through the rest.`) : null);
  section.dataset.by = by;
  return { section, draw: () => page.items.length > 0 && exposureChart(ui, chart.canvas, page.items, title) };
}

function transitionCard(ui, result) {
  const chart = ui.chartBox('Off-balance-sheet debt returning to tenant groups\' books by quarter, stacked by tenant group', true);
  const totals = new Map();
  for (const q of result.quarters) for (const g of q.byTenantGroup) totals.set(g.key, (totals.get(g.key) ?? 0) + Number(g.amount));
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k]) => k);
  const rows = result.quarters.map((q) => [q.quarter, ui.moneyCell(q.amount), String(q.loanCount),
    q.byTenantGroup.map((g) => `${g.key}: ${ui.money(g.amount)}`).join('; ')]);
  const section = ui.card('Balance-sheet transition',
    ui.h('p', { class: 'muted' }, 'Loans the tenant keeps off its balance sheet, by when they return to it: OPERATIONAL facilities are due now, others by the quarter of their expected completion.'),
    result.quarters.length === 0 ? ui.h('p', { class: 'muted' }, 'No off-balance-sheet loans in the deals\' latest scored tapes.') : chart.box,
    ui.table(['Quarter', { label: 'Amount', num: true }, { label: 'Loans', num: true }, 'By tenant group'], rows, 'Balance-sheet transition by quarter'));
  section.id = 'transition';
  const draw = () => {
    if (result.quarters.length === 0) return;
    const keys = totals.size > top.length ? [...top, 'Other'] : top;
    ui.makeChart(chart.canvas, {
      type: 'bar',
      data: {
        labels: result.quarters.map((q) => q.quarter),
        datasets: keys.map((key, i) => ({
          label: key,
          backgroundColor: ui.PALETTE[i % ui.PALETTE.length],
          data: result.quarters.map((q) => q.byTenantGroup.filter((g) => (key === 'Other' ? !top.includes(g.key) : g.key === key)).reduce((sum, g) => sum + Number(g.amount), 0)),
        })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'current balance' } } } },
    });
  };
  return { section, draw };
}

/** #/market[?asOf=YYYY-MM-DD]: the four exposures and the transition. */
export async function showMarket(seq, ui, asOf) {
  const q = asOf ? `&asOf=${encodeURIComponent(asOf)}` : '';
  const [pages, transition] = await Promise.all([
    Promise.all(DIMENSIONS.map(([by]) => ui.api(`/v1/market/exposures?by=${by}&limit=50${q}`))),
    ui.api(`/v1/market/balance-sheet-transition${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`),
  ]);
  if (!ui.isCurrent(seq)) return;
  const first = pages[0];
  const input = ui.h('input', { id: 'market-as-of', name: 'asOf', type: 'date', value: asOf ?? '' });
  const form = ui.h('form', { class: 'filters', 'aria-label': 'Market as of a date' },
    ui.h('div', {}, ui.h('label', { for: 'market-as-of' }, 'As of (latest tape on or before)'), input),
    ui.h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = input.value ? `#/market/${input.value}` : '#/market';
  });
  const cards = DIMENSIONS.map(([by, title], i) => exposureCard(ui, by, title, pages[i]));
  const trans = transitionCard(ui, transition);
  ui.main.replaceChildren(
    ui.h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, ui.h('a', { href: '#/' }, 'Deals'), ' / Market'),
    ui.h('h1', {}, 'Market'),
    ui.statList([['Deals', String(first.dealCount)], ['Eligible balance', ui.moneyCell(first.totalBalance)], ['As of', first.asOf ?? 'every deal\'s latest tape']]),
    form,
    ui.h('div', { class: 'grid' }, cards[0].section, cards[1].section),
    ui.h('div', { class: 'grid' }, cards[2].section, cards[3].section),
    trans.section,
    ui.h('p', {}, ui.h('a', { href: '#/dmbx' }, 'DMBX series →')));
  for (const c of cards) c.draw();
  trans.draw();
  ui.announce('Market loaded');
}
