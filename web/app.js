// The reviewers' page: a small hash-routed single page over the DMBS HTTP API (/v1). No build
// step and no framework: DOM built with textContent only (never innerHTML with data), charts from
// Chart.js (served by the app from node_modules). The API key lives in sessionStorage only.

const KEY_STORAGE = 'dmbs.apiKey';
const main = document.getElementById('main');
const announcer = document.getElementById('announcer');
const charts = [];
let renderSeq = 0;

// ---------- small helpers ----------

/** Creates an element: h('a', { href: '#/' }, 'text', child). Attributes starting with "on" are listeners. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const enc = encodeURIComponent;

/** Money text "1234567.89" -> "1,234,567.89" without going through a float. */
function money(text) {
  if (text === null || text === undefined) return '—';
  const [int, dec] = String(text).split('.');
  const neg = int.startsWith('-');
  const digits = (neg ? int.slice(1) : int).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${digits}${dec !== undefined ? `.${dec}` : ''}`;
}

/** A figure for display: shares as %, others trimmed. */
function figure(value, unit) {
  if (value === null || value === undefined) return '—';
  const n = Number(value);
  if (unit && /fraction|share/i.test(unit)) return `${(n * 100).toFixed(2)} %`;
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(Math.abs(n) >= 100 ? 1 : 3);
}

function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function badge(text, kind) {
  return h('span', { class: `badge ${kind ?? text}` }, text);
}

function announce(text) {
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = text; }, 30);
}

function table(headers, rows, caption) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col', class: x.num ? 'num' : undefined }, x.label ?? x)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, 'Nothing to show.'))
        : rows.map((r) => h('tr', {}, r.map((cell, i) => h('td', { class: headers[i]?.num ? 'num' : undefined }, cell)))))));
}

function card(title, ...children) {
  const id = `h-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function statList(items) {
  return h('dl', { class: 'stats' }, items.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

// ---------- API ----------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

async function api(path, { accept = 'application/json', raw = false } = {}) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  const res = await fetch(path, { headers: { authorization: `Bearer ${key ?? ''}`, accept } });
  if (!res.ok) {
    let problem;
    try { problem = await res.json(); } catch { problem = undefined; }
    if (res.status === 401) {
      sessionStorage.removeItem(KEY_STORAGE);
      showSignIn(problem?.detail ?? 'Please sign in again.');
      throw new ApiError(401, problem);
    }
    throw new ApiError(res.status, problem);
  }
  if (raw) return res;
  return res.json();
}

async function ndjson(path) {
  const res = await api(path, { accept: 'application/x-ndjson', raw: true });
  const text = await res.text();
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

async function download(path, accept, fileName) {
  const res = await api(path, { accept, raw: true });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  announce(`Downloaded ${fileName}`);
}

// ---------- charts ----------

function destroyCharts() {
  while (charts.length) charts.pop().destroy();
}

const COLORS = { pass: '#1b7f3b', fail: '#b3261e', accent: '#1f4e79', muted: '#8895a2' };
const PALETTE = ['#1f4e79', '#2e86ab', '#57a773', '#f2a900', '#c8553d', '#7b5ea7', '#8895a2'];

function chartBox(label, tall = false) {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  return { box: h('div', { class: `chart-box${tall ? ' tall' : ''}` }, canvas), canvas };
}

function makeChart(canvas, config) {
  if (!window.Chart) return;
  config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options };
  charts.push(new window.Chart(canvas, config));
}

/** Draws a vertical line at x = 100 (% of limit) on a horizontal bar chart. */
const limitLine = {
  id: 'limitLine',
  afterDatasetsDraw(chart) {
    const x = chart.scales.x.getPixelForValue(100);
    const { top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = '#1a1f24';
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#1a1f24';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText('limit', x + 4, top + 12);
    ctx.restore();
  },
};

/** actual as % of limit: > 100 breaches a max test, < 100 breaches a min test. */
function percentOfLimit(test) {
  if (test.actual === null || Number(test.limit) === 0) return 0;
  return (Number(test.actual) / Number(test.limit)) * 100;
}

// ---------- views ----------

function showSignIn(message) {
  destroyCharts();
  document.getElementById('account').hidden = true;
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const status = h('p', { id: 'signin-status', role: 'alert', class: 'error' }, message ?? '');
  const form = h('form', { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h('p', { class: 'muted' }, 'Use the API key you were given (locally: keys.json in the data folder). It is kept in this browser tab only.'),
    h('div', { class: 'form-row' }, h('div', {}, h('label', { for: 'api-key' }, 'API key'), input)),
    status,
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, input.value.trim());
    status.textContent = '';
    try {
      await api('/v1/deals?limit=1');
      location.hash = '#/';
      route();
    } catch (err) {
      if (err.status !== 401) status.textContent = err.message;
    }
  });
  main.replaceChildren(form);
  input.focus();
}

async function showDeals(seq) {
  const rows = [];
  const tbody = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more deals');
  let nextToken = null;
  const addPage = async () => {
    const page = await api(`/v1/deals?limit=25${nextToken ? `&nextToken=${enc(nextToken)}` : ''}`);
    if (seq !== renderSeq) return;
    for (const d of page.items) {
      const t = d.latestTape;
      const link = h('a', { href: `#/deal/${enc(d.issuerId)}/${enc(d.dealId)}` }, d.dealId);
      const tr = h('tr', {},
        h('td', {}, d.issuerId),
        h('th', { scope: 'row' }, link),
        h('td', {}, t ? t.fileName : '—'),
        h('td', {}, t ? badge(t.status) : '—'),
        h('td', { class: 'num' }, d.latestScored?.dataQualityScore ?? '—'),
        h('td', {}, d.latestScored?.scoreBand ?? '—'),
        h('td', {}, when(d.updatedAt)));
      rows.push(tr);
      tbody.append(tr);
    }
    nextToken = page.nextToken;
    more.hidden = !nextToken;
  };
  more.addEventListener('click', async () => { more.disabled = true; await addPage(); more.disabled = false; });
  const headers = ['Issuer', 'Deal', 'Latest tape', 'Status', { label: 'Data quality', num: true }, 'Score band', 'Last activity'];
  main.replaceChildren(
    h('h1', {}, 'Deals'),
    h('section', { class: 'card', 'aria-label': 'Deals' },
      h('div', { class: 'table-wrap' }, h('table', { id: 'deals-table' },
        h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col', class: x.num ? 'num' : undefined }, x.label ?? x)))),
        tbody)),
      h('p', {}, more)));
  await addPage();
  if (rows.length === 0) tbody.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No deals yet. Upload a tape to incoming/{issuerId}/{dealId}/{file}.')));
  announce(`${rows.length} deals shown`);
}

async function showDeal(seq, issuerId, dealId) {
  const q = `issuerId=${enc(issuerId)}`;
  const [deal, tapes] = await Promise.all([
    api(`/v1/deals/${enc(dealId)}?${q}`),
    api(`/v1/deals/${enc(dealId)}/tapes?${q}&limit=100`),
  ]);
  if (seq !== renderSeq) return;
  const scored = tapes.items.filter((t) => t.status === 'SCORED');
  const fromSel = h('select', { id: 'compare-from', name: 'from' }, scored.map((t, i) => h('option', { value: t.tapeId, selected: i === 1 || undefined }, `${t.fileName} (${when(t.uploadedAt)})`)));
  const toSel = h('select', { id: 'compare-to', name: 'to' }, scored.map((t, i) => h('option', { value: t.tapeId, selected: i === 0 || undefined }, `${t.fileName} (${when(t.uploadedAt)})`)));
  const compareForm = h('form', { 'aria-label': 'Compare two tape versions' },
    h('div', { class: 'form-row' },
      h('div', {}, h('label', { for: 'compare-from' }, 'From (older)'), fromSel),
      h('div', {}, h('label', { for: 'compare-to' }, 'To (newer)'), toSel),
      h('button', { type: 'submit', disabled: scored.length < 2 || undefined }, 'Compare versions')));
  compareForm.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/compare/${enc(issuerId)}/${enc(dealId)}/${enc(fromSel.value)}/${enc(toSel.value)}`;
  });
  main.replaceChildren(
    h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' }, h('a', { href: '#/' }, 'Deals'), ' / ', `${issuerId} / ${dealId}`),
    h('h1', {}, `Deal ${dealId}`, h('span', { class: 'muted' }, ` · issuer ${issuerId}`)),
    card('Latest', statList([
      ['Latest tape', deal.latestTape ? deal.latestTape.fileName : '—'],
      ['Status', deal.latestTape ? badge(deal.latestTape.status) : '—'],
      ['Data quality', deal.latestScored?.dataQualityScore ?? '—'],
      ['Score band', deal.latestScored?.scoreBand ?? '—'],
      ['Score points', deal.latestScored?.scorePoints ? Number(deal.latestScored.scorePoints).toFixed(1) : '—'],
    ])),
    card('Tape versions (newest first)', table(
      ['File', 'Status', 'Uploaded', { label: 'Rows', num: true }, { label: 'Errors', num: true }, { label: 'Warnings', num: true }, { label: 'Invalid rows', num: true },
        { label: 'Data quality', num: true }, { label: 'Eligible balance', num: true }, 'Score band'],
      tapes.items.map((t) => [
        h('a', { href: `#/tape/${enc(t.tapeId)}` }, t.fileName),
        h('span', {}, badge(t.status), t.reason ? h('div', { class: 'muted' }, t.reason) : null),
        when(t.uploadedAt), t.rowCount ?? '—', t.errorCount ?? '—', t.warningCount ?? '—', t.invalidRowCount ?? '—',
        t.dataQualityScore ?? '—', money(t.eligibleBalance), t.scoreBand ?? '—',
      ]), 'Tape versions')),
    card('Compare two versions', scored.length < 2 ? h('p', { class: 'muted' }, 'Two scored tapes are needed to compare.') : compareForm));
}

function errorsSection(tape, report) {
  const fields = new Set();
  const codes = new Set();
  for (const f of report.validation.errors ?? []) { if (f.field) fields.add(f.field); codes.add(f.code); }
  for (const q of report.validation.dataQuality ?? []) if (q.invalid > 0 || q.warning > 0) fields.add(q.field);
  const fieldSel = h('select', { id: 'errors-field', name: 'field' }, h('option', { value: '' }, 'All fields'), [...fields].sort().map((f) => h('option', { value: f }, f)));
  const codeSel = h('select', { id: 'errors-code', name: 'code' }, h('option', { value: '' }, 'All codes'), [...codes].sort().map((c) => h('option', { value: c }, c)));
  const holder = h('div', { id: 'errors-table' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const query = () => {
    const p = new URLSearchParams();
    if (fieldSel.value) p.set('field', fieldSel.value);
    if (codeSel.value) p.set('code', codeSel.value);
    return p;
  };
  const load = async () => {
    const p = query();
    p.set('limit', '500');
    const findings = await ndjson(`/v1/tapes/${enc(tape.tapeId)}/errors?${p}`);
    holder.replaceChildren(table(['Row', 'Field', 'Code', 'Severity', 'Message', 'Value'],
      findings.map((f) => [String(f.row), f.field ?? '—', f.code, badge(f.severity, f.severity === 'error' ? 'fail' : ''), f.message, f.value ?? '']), 'Findings'));
    count.textContent = findings.length === 500 ? 'Showing the first 500 findings; download the CSV for all of them.' : `${findings.length} findings shown.`;
  };
  const form = h('form', { 'aria-label': 'Filter findings' },
    h('div', { class: 'form-row' },
      h('div', {}, h('label', { for: 'errors-field' }, 'Field'), fieldSel),
      h('div', {}, h('label', { for: 'errors-code' }, 'Code'), codeSel),
      h('button', { type: 'submit' }, 'Filter'),
      h('button', { type: 'button', class: 'secondary', id: 'download-csv', onclick: () => download(`/v1/tapes/${enc(tape.tapeId)}/errors?${query()}`, 'text/csv', `${tape.tapeId}-errors.csv`) }, 'Download CSV')));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  const section = card(`Errors and warnings (${report.validation.errorCount} errors, ${report.validation.warningCount} warnings)`, form, count, holder);
  return { section, load };
}

async function showTape(seq, tapeId) {
  const tape = await api(`/v1/tapes/${enc(tapeId)}`);
  if (seq !== renderSeq) return;
  const crumbs = h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' }, h('a', { href: '#/' }, 'Deals'),
    tape.dealId ? [' / ', h('a', { href: `#/deal/${enc(tape.issuerId)}/${enc(tape.dealId)}` }, `${tape.issuerId} / ${tape.dealId}`)] : null,
    ' / ', tape.fileName ?? tape.tapeId);
  const status = card('Status',
    h('p', {}, badge(tape.status), ' ', tape.progress.final ? '' : `step ${tape.progress.stepNumber} of ${tape.progress.stepCount}: ${tape.progress.step}`),
    h('label', { for: 'tape-progress' }, 'Progress'),
    h('progress', { id: 'tape-progress', max: 100, value: tape.progress.percent }, `${tape.progress.percent} %`),
    tape.reason ? h('p', { class: tape.status === 'FAILED' ? 'error' : 'muted' }, tape.reason) : null);
  const header = h('h1', {}, tape.fileName ?? tape.tapeId);
  if (tape.status === 'FAILED' && tape.failure?.code === 'NO_VALID_LOANS') {
    // No valid loan: no results, but the validation report and its findings say why, row by row.
    const report = await api(`/v1/tapes/${enc(tapeId)}/report`);
    if (seq !== renderSeq) return;
    const errors = errorsSection(tape, report);
    main.replaceChildren(crumbs, header, status, errors.section);
    await errors.load();
    return;
  }
  if (tape.status !== 'SCORED') {
    main.replaceChildren(crumbs, header, status);
    if (!tape.progress.final) setTimeout(() => { if (seq === renderSeq) route(); }, 2000);
    return;
  }
  const report = await api(`/v1/tapes/${enc(tapeId)}/report`);
  if (seq !== renderSeq) return;
  const s = tape.summary;
  const v = report.validation;

  const overview = card('Overview', statList([
    ['Data-quality score', v.dataQualityScore],
    ['Rows (valid / invalid)', `${v.validRowCount} / ${v.invalidRowCount}`],
    ['Eligible loans', s.eligibleCount ?? '—'],
    ['Eligible balance', money(s.eligibleBalance)],
    ['Score', report.score ? `${Number(report.score.points).toFixed(1)} · ${report.score.band}` : '—'],
    ['Reporting date', report.tape.reportingDate ?? '—'],
  ]), h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => download(`/v1/tapes/${enc(tapeId)}/report`, 'application/json', `${tapeId}-report.json`) }, 'Download report (JSON)')));

  // Eligibility failures by criterion
  const failures = Object.entries(report.eligibility?.failuresByCriterion ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const elig = chartBox(`Loans failing each eligibility criterion: ${failures.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const eligCard = card('Eligibility failures by criterion', elig.box,
    h('details', {}, h('summary', {}, 'As a table'), table(['Criterion', { label: 'Loans failing', num: true }], failures.map(([k, n]) => [k, String(n)]))));

  // Concentration and pool tests against their limits
  const tests = report.concentrations ?? [];
  const conc = chartBox(`Concentration and pool tests as a percentage of their limits: ${tests.map((t) => `${t.id} ${t.pass ? 'pass' : 'fail'}`).join(', ')}`, true);
  const concCard = card('Concentration tests against limits', h('p', { class: 'muted' }, 'Bars show each figure as a percentage of its limit (dashed line = limit). Green passes, red fails; "max" tests must stay below the line, "min" tests above it.'), conc.box,
    table(['Test', 'Description', { label: 'Actual', num: true }, { label: 'Limit', num: true }, { label: 'Headroom', num: true }, 'Result'],
      tests.map((t) => [t.id, t.description, figure(t.actual, t.unit), `${t.limitType === 'max' ? '≤' : '≥'} ${figure(t.limit, t.unit)}`, figure(t.headroom, t.unit), badge(t.pass ? 'pass' : 'fail')]), 'Concentration tests'));

  const pool = report.pool ?? {};
  const poolCard = card('Pool (eligible loans)', statList([
    ['Loans', pool.loanCount ?? '—'],
    ['Current balance', money(pool.currentBalance)],
    ['WA DSCR', figure(pool.waDscr)],
    ['WA LTV', figure(pool.waLtv, 'fraction')],
    ['WA interest rate', figure(pool.waInterestRate, 'fraction')],
    ['WA remaining lease (months)', figure(pool.waRemainingLeaseTermMonths)],
    ['Effective number of loans', figure(pool.effectiveLoanCount)],
  ]), pool.reason ? h('p', { class: 'muted' }, pool.reason) : null);

  const factors = report.score?.factors ?? [];
  const scoreCard = card('Score factors', h('p', {}, report.score ? `${Number(report.score.points).toFixed(1)} points · ${report.score.band}` : 'Not scored.'),
    table(['Factor', { label: 'Value', num: true }, { label: 'Points', num: true }, { label: 'Weight', num: true }],
      factors.map((f) => [f.name, figure(f.value), Number(f.points).toFixed(1), figure(f.weight)]), 'Score factors'));

  // Balance-sheet transition by quarter, stacked by the largest tenant groups
  const transition = report.balanceSheetTransition ?? [];
  const totals = new Map();
  for (const q of transition) for (const g of q.byTenantGroup) totals.set(g.key, (totals.get(g.key) ?? 0) + Number(g.amount));
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k]) => k);
  const bst = chartBox(`Balance returning on balance sheet by quarter: ${transition.map((q) => `${q.quarter} ${money(q.amount)}`).join(', ')}`);
  const bstCard = card('Balance-sheet transition by quarter', transition.length === 0
    ? h('p', { class: 'muted' }, 'No off-balance-sheet loans in this tape.')
    : [bst.box, h('details', {}, h('summary', {}, 'As a table'), table(['Quarter', { label: 'Amount', num: true }, { label: 'Loans', num: true }], transition.map((q) => [q.quarter, money(q.amount), String(q.loanCount)])))]);

  const errors = errorsSection(tape, report);
  main.replaceChildren(crumbs, header, status, overview,
    h('div', { class: 'grid' }, eligCard, poolCard), concCard, h('div', { class: 'grid' }, scoreCard, bstCard), errors.section);

  makeChart(elig.canvas, {
    type: 'bar',
    data: { labels: failures.map(([k]) => k), datasets: [{ label: 'Loans failing', data: failures.map(([, n]) => n), backgroundColor: COLORS.accent }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'loans' } } } },
  });
  makeChart(conc.canvas, {
    type: 'bar',
    data: {
      labels: tests.map((t) => `${t.id} ${t.limitType}`),
      datasets: [{ label: '% of limit', data: tests.map(percentOfLimit), backgroundColor: tests.map((t) => (t.pass ? COLORS.pass : COLORS.fail)) }],
    },
    options: {
      indexAxis: 'y',
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => { const t = tests[ctx.dataIndex]; return `${t.description}: ${figure(t.actual, t.unit)} vs limit ${figure(t.limit, t.unit)} (headroom ${figure(t.headroom, t.unit)})`; } } },
      },
      scales: { x: { beginAtZero: true, suggestedMax: 120, title: { display: true, text: '% of limit' } } },
    },
    plugins: [limitLine],
  });
  if (transition.length > 0) {
    makeChart(bst.canvas, {
      type: 'bar',
      data: {
        labels: transition.map((q) => q.quarter),
        datasets: [...top, 'Other'].map((key, i) => ({
          label: key,
          backgroundColor: PALETTE[i % PALETTE.length],
          data: transition.map((q) => q.byTenantGroup.filter((g) => (key === 'Other' ? !top.includes(g.key) : g.key === key)).reduce((sum, g) => sum + Number(g.amount), 0)),
        })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'current balance' } } } },
    });
  }
  await errors.load();
  announce(`Tape ${tape.fileName} loaded`);
}

/** A figure of the comparison for display: money with separators, long decimals to 4 places. */
function fmtFigure(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return String(v);
  if (/^-?\d+\.\d{2}$/.test(v)) return money(v);
  if (/^-?\d+\.\d{3,}$/.test(v)) return String(Number(Number(v).toFixed(4)));
  return v;
}

function changeCell(change) {
  if (change === null || change === undefined) return '—';
  // Signed but not coloured: whether a change is good depends on the figure.
  return `${Number(change) > 0 ? '+' : ''}${fmtFigure(change)}`;
}

async function showCompare(seq, issuerId, dealId, from, to) {
  const c = await api(`/v1/deals/${enc(dealId)}/compare?issuerId=${enc(issuerId)}&from=${enc(from)}&to=${enc(to)}`);
  if (seq !== renderSeq) return;
  const n = c.loans.counts;
  const testsBox = chartBox(`Concentration tests before and after as a percentage of their limits`, true);
  const outcome = (o, unit) => (o ? h('span', {}, figure(o.actual, unit), ' ', badge(o.pass ? 'pass' : 'fail')) : '—');
  main.replaceChildren(
    h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' }, h('a', { href: '#/' }, 'Deals'), ' / ',
      h('a', { href: `#/deal/${enc(issuerId)}/${enc(dealId)}` }, `${issuerId} / ${dealId}`), ' / compare'),
    h('h1', {}, 'Compare versions'),
    h('p', {}, h('a', { href: `#/tape/${enc(c.from.tapeId)}` }, c.from.fileName), ` (${when(c.from.uploadedAt)}) → `,
      h('a', { href: `#/tape/${enc(c.to.tapeId)}` }, c.to.fileName), ` (${when(c.to.uploadedAt)})`),
    card('Loans', statList([['Before', n.from], ['After', n.to], ['Added', n.added], ['Removed', n.removed], ['Balance changed', n.changedBalance], ['Unchanged', n.unchanged]]),
      h('details', {}, h('summary', {}, `Added (${n.added})`), table(['Loan', { label: 'Balance', num: true }], c.loans.added.map((l) => [l.loanId, money(l.currentBalance)]))),
      h('details', {}, h('summary', {}, `Removed (${n.removed})`), table(['Loan', { label: 'Balance', num: true }], c.loans.removed.map((l) => [l.loanId, money(l.currentBalance)]))),
      h('details', {}, h('summary', {}, `Balance changed (${n.changedBalance})`), table(['Loan', { label: 'Before', num: true }, { label: 'After', num: true }, { label: 'Change', num: true }],
        c.loans.changed.map((l) => [l.loanId, money(l.from), money(l.to), changeCell(l.change)]))),
      c.loans.truncated ? h('p', { class: 'muted' }, `Lists show at most ${c.loans.listLimit} loans each.`) : null),
    card('Pool figures', table(['Figure', { label: 'Before', num: true }, { label: 'After', num: true }, { label: 'Change', num: true }],
      [c.dataQualityScore, ...c.pool].map((f) => [f.name, fmtFigure(f.from), fmtFigure(f.to), changeCell(f.change)]))),
    card('Eligibility', table(['Figure', { label: 'Before', num: true }, { label: 'After', num: true }, { label: 'Change', num: true }],
      c.eligibility.map((f) => [f.name, fmtFigure(f.from), fmtFigure(f.to), changeCell(f.change)]))),
    card('Tests before and after', testsBox.box, table(['Test', 'Limit', 'Before', 'After'],
      c.tests.map((t) => [`${t.id} ${t.description}`, `${t.limitType === 'max' ? '≤' : '≥'} ${figure(t.limit, t.unit)}`, outcome(t.from, t.unit), outcome(t.to, t.unit)]))),
    card('Score', statList([
      ['Before', c.score.from ? `${Number(c.score.from.points).toFixed(1)} · ${c.score.from.band}` : '—'],
      ['After', c.score.to ? `${Number(c.score.to.points).toFixed(1)} · ${c.score.to.band}` : '—'],
      ['Change (points)', changeCell(c.score.points.change)],
    ])));
  const pct = (o, t) => (o && o.actual !== null ? (Number(o.actual) / Number(t.limit)) * 100 : 0);
  makeChart(testsBox.canvas, {
    type: 'bar',
    data: {
      labels: c.tests.map((t) => `${t.id} ${t.limitType}`),
      datasets: [
        { label: 'Before', data: c.tests.map((t) => pct(t.from, t)), backgroundColor: COLORS.muted },
        { label: 'After', data: c.tests.map((t) => pct(t.to, t)), backgroundColor: c.tests.map((t) => (t.to?.pass ? COLORS.pass : COLORS.fail)) },
      ],
    },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, suggestedMax: 120, title: { display: true, text: '% of limit' } } } },
    plugins: [limitLine],
  });
  announce('Comparison loaded');
}

// ---------- routing ----------

async function route() {
  const seq = ++renderSeq;
  destroyCharts();
  if (!sessionStorage.getItem(KEY_STORAGE)) { showSignIn(); return; }
  document.getElementById('account').hidden = false;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    if (parts[0] === 'deal' && parts.length === 3) await showDeal(seq, parts[1], parts[2]);
    else if (parts[0] === 'tape' && parts.length === 2) await showTape(seq, parts[1]);
    else if (parts[0] === 'compare' && parts.length === 5) await showCompare(seq, parts[1], parts[2], parts[3], parts[4]);
    else await showDeals(seq);
    if (seq === renderSeq) main.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    if (seq !== renderSeq) return;
    main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, err.message), h('p', {}, h('a', { href: '#/' }, 'Back to deals')));
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  renderSeq++; // anything still loading is dropped
  if (location.hash !== '#/' && location.hash !== '') history.pushState(null, '', '#/');
  showSignIn('Signed out.');
});
window.addEventListener('hashchange', route);
route();
