// The reviewers' page: a small hash-routed single page over the DMBS HTTP API (/v1). No build
// step and no framework: DOM built with textContent only (never innerHTML with data), charts from
// Chart.js (served by the app from node_modules). The API key lives in sessionStorage only.

import { stressPanel } from './stress-panel.js';
import { trendsSection, watchlistSection } from './watchlist-view.js';
import { showMarket } from './market-view.js';
import { showDmbxList, showDmbxSeries } from './dmbx-view.js';
import { computeView } from './compute-view.js';

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

/** Digits grouped by thousands: "1234567" -> "1,234,567". */
function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Money text "1234567.89" -> "USD 1,234,567.89" (thousands separators, currency when known), without going through a float. */
function money(text, currency) {
  if (text === null || text === undefined) return '—';
  const [int, dec] = String(text).split('.');
  const neg = int.startsWith('-');
  const amount = `${neg ? '-' : ''}${groupThousands(neg ? int.slice(1) : int)}${dec !== undefined ? `.${dec}` : ''}`;
  return currency ? `${currency} ${amount}` : amount;
}

/** A count with thousands separators; '—' when absent (not known yet, or not given by this API version). */
function count(n) {
  return n === null || n === undefined ? '—' : groupThousands(String(n));
}

/** Money as a cell that never wraps mid-number. */
function moneyCell(text, currency) {
  return h('span', { class: 'nowrap' }, money(text, currency));
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d*))?$/;

/** Decimal text rounded half away from zero to `places`, exactly (BigInt, no float): ("1.23456", 2) -> "1.23". Other text passes unchanged. */
function roundDecimal(text, places) {
  const m = DECIMAL.exec(String(text));
  if (!m) return String(text);
  const [, sign, int, frac = ''] = m;
  const scaled = (BigInt(int + (frac + '0'.repeat(places + 1)).slice(0, places + 1)) + 5n) / 10n;
  const digits = scaled.toString().padStart(places + 1, '0');
  const out = places > 0 ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return sign && /[1-9]/.test(out) ? `-${out}` : out;
}

/** Decimal text x 100, by moving the point: "0.1234" -> "12.34". */
function times100(text) {
  const m = DECIMAL.exec(String(text));
  if (!m) return String(text);
  const [, sign, int, frac = ''] = m;
  const padded = `${frac}00`;
  const whole = `${int}${padded.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = padded.slice(2).replace(/0+$/, '');
  return `${sign}${whole}${rest ? `.${rest}` : ''}`;
}

/** A share (0.1234) as "12.34 %". */
function percent(text) {
  if (text === null || text === undefined) return '—';
  return `${roundDecimal(times100(text), 2)} %`;
}

/** A figure in its unit (the schema's x-limit-unit): fractions and shares as %, months and loans named, ratios to 2 places. */
function figure(value, unit) {
  if (value === null || value === undefined) return '—';
  if (unit && /fraction|share/i.test(unit)) return percent(value);
  if (unit === 'months') return `${roundDecimal(value, 1)} months`;
  if (unit === 'loans') return `${roundDecimal(value, 1)} loans`;
  if (unit === 'ratio') return roundDecimal(value, 2);
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return roundDecimal(value, Math.abs(Number(value)) >= 100 ? 1 : 3);
}

/** Time as "2026-11-01 09:01:00 UTC" (to the second). */
function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** A label with its code as secondary text: "dscr >= 1.2" and, muted, "E05". */
function labelled(label, code) {
  if (!label || label === code) return h('span', {}, code);
  return h('span', {}, label, ' ', h('span', { class: 'code muted' }, code));
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

async function api(path, { accept = 'application/json', raw = false, headers = {}, method = 'GET', body } = {}) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  const res = await fetch(path, {
    method,
    headers: { ...headers, authorization: `Bearer ${key ?? ''}`, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
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

/** NDJSON lines of a response, or null when the API stored the body and answered with a link (too large to show). */
async function ndjson(path) {
  const res = await api(path, { accept: 'application/x-ndjson', raw: true, headers: { 'x-dmbs-download': 'link' } });
  if ((res.headers.get('content-type') ?? '').startsWith('application/vnd.dmbs.download-link+json')) return null;
  const text = await res.text();
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

async function download(path, accept, fileName) {
  // A large body is stored by the API (on AWS): it answers with a link instead of a redirect, which
  // fetch could not follow here (CSP connect-src 'self'). Navigating to it downloads the file.
  const res = await api(path, { accept, raw: true, headers: { 'x-dmbs-download': 'link' } });
  if ((res.headers.get('content-type') ?? '').startsWith('application/vnd.dmbs.download-link+json')) {
    const { location: url } = await res.json();
    if (!/^https?:$/.test(new URL(url, location.href).protocol)) throw new Error('The download link the API gave is not a web address.');
    const a = h('a', { href: url, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    announce(`Downloading ${fileName}`);
    return;
  }
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
  if (!window.Chart) return undefined;
  config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options };
  charts.push(new window.Chart(canvas, config));
  return charts.at(-1);
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

// ---------- views ----------

let meCache = null;

/** The caller (GET /v1/me), asked once per key. */
function whoAmI() {
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!meCache || meCache.key !== key) {
    const promise = api('/v1/me');
    meCache = { key, promise };
    promise.catch(() => { if (meCache?.promise === promise) meCache = null; });
  }
  return meCache.promise;
}

/** Shows who is signed in: "Signed in as test reviewer (reviewer)", "… (issuer acme)". */
async function showAccount() {
  const who = document.getElementById('whoami');
  document.getElementById('account').hidden = false;
  try {
    const me = await whoAmI();
    who.textContent = `Signed in as ${me.subject}${me.role === 'issuer' ? ` (issuer ${me.issuerId})` : ` (${me.role})`}`;
  } catch (err) {
    if (err.status !== 401) who.textContent = 'Signed in';
  }
}

function showSignIn(message) {
  destroyCharts();
  document.getElementById('account').hidden = true;
  document.getElementById('whoami').textContent = '';
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
      showAccount();
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
  more.addEventListener('click', async () => {
    const firstNew = rows.length;
    more.disabled = true;
    try { await addPage(); } finally { more.disabled = false; }
    // Keyboard users go on from the first deal added (the button may have just hidden itself).
    rows[firstNew]?.querySelector('a')?.focus();
    announce(`${rows.length - firstNew} more deals shown`);
  });
  const headers = ['Issuer', 'Deal', 'Latest tape', 'Status', { label: 'Data quality', num: true }, 'Score band', 'Last activity'];
  const invalidSlot = h('div');
  main.replaceChildren(
    h('h1', {}, 'Deals'),
    invalidSlot,
    h('section', { class: 'card', 'aria-label': 'Deals' },
      h('div', { class: 'table-wrap' }, h('table', { id: 'deals-table' },
        h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col', class: x.num ? 'num' : undefined }, x.label ?? x)))),
        tbody)),
      h('p', {}, more)));
  await addPage();
  if (rows.length === 0) tbody.append(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No deals yet. Upload a tape (issuers: with New upload above; or to incoming/{issuerId}/{dealId}/{file}).')));
  // Above the list, where a reviewer sees them before paging through deals.
  const [invalid, me] = await Promise.all([invalidKeysSection(), whoAmI().catch(() => null)]);
  if (seq !== renderSeq) return;
  if (invalid) invalidSlot.replaceWith(invalid);
  else if (me?.role === 'issuer') invalidSlot.replaceWith(uploadSection(null));
  announce(`${rows.length} deals shown`);
}

/**
 * Reviewers and onboarding: uploads whose key names no deal (FAILED, OBJECT_KEY_INVALID). They
 * belong to no deal, so this is the only place they show; nothing when there are none.
 */
async function invalidKeysSection() {
  const me = await whoAmI().catch(() => null);
  if (!me || me.role === 'issuer') return null;
  const page = await api('/v1/tapes?status=FAILED&code=OBJECT_KEY_INVALID&limit=50');
  if (page.items.length === 0) return null;
  return h('section', { class: 'card', id: 'invalid-keys', 'aria-labelledby': 'h-invalid-keys' },
    h('h2', { id: 'h-invalid-keys' }, `Uploads outside any deal (${page.items.length}${page.nextToken ? '+' : ''})`),
    h('p', { class: 'muted' }, 'These files were not put under incoming/{issuerId}/{dealId}/{fileName}, so they failed and belong to no deal. Ask the uploader to put them under their deal.'),
    table(['Uploaded', 'Why it failed'], page.items.map((t) => [
      h('span', { class: 'nowrap' }, when(t.uploadedAt)), h('a', { href: `#/tape/${enc(t.tapeId)}` }, t.reason ?? t.tapeId),
    ]), 'Uploads outside any deal'),
    page.nextToken ? h('p', { class: 'muted' }, 'Showing the 50 most recent.') : null);
}

async function showDeal(seq, issuerId, dealId) {
  const q = `issuerId=${enc(issuerId)}`;
  const [deal, tapes, me] = await Promise.all([
    api(`/v1/deals/${enc(dealId)}?${q}`),
    api(`/v1/deals/${enc(dealId)}/tapes?${q}&limit=100`),
    whoAmI().catch(() => null),
  ]);
  if (seq !== renderSeq) return;
  const scored = tapes.items.filter((t) => t.status === 'SCORED');
  const trends = trendsSection(ui, { issuerId, dealId });
  // The watchlist compares loans: a deal of compute tapes (GPU lots) has none.
  const loanDeal = !scored.some((t) => t.kind === 'compute');
  const watch = scored.length > 0 && loanDeal ? watchlistSection(ui, { issuerId, dealId, title: 'Current watchlist' }) : null;
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
      ['Score points', deal.latestScored?.scorePoints ? roundDecimal(deal.latestScored.scorePoints, 1) : '—'],
    ])),
    card('Tape versions (newest first)', table(
      ['File', 'Status', 'Uploaded', { label: 'Rows', num: true }, { label: 'Errors', num: true }, { label: 'Warnings', num: true }, { label: 'Invalid rows', num: true },
        { label: 'Data quality', num: true }, { label: 'Eligible balance', num: true }, 'Score band'],
      tapes.items.map((t) => [
        h('a', { href: `#/tape/${enc(t.tapeId)}` }, t.fileName),
        h('span', {}, badge(t.status), t.reason ? h('div', { class: 'muted' }, t.reason) : null),
        h('span', { class: 'nowrap' }, when(t.uploadedAt)), count(t.rowCount), count(t.errorCount), count(t.warningCount), count(t.invalidRowCount),
        t.dataQualityScore ?? '—', moneyCell(t.eligibleBalance), t.scoreBand ?? '—',
      ]), 'Tape versions')),
    card('Compare two versions', scored.length < 2 ? h('p', { class: 'muted' }, 'Two scored tapes are needed to compare.') : compareForm),
    trends.section, ...(watch ? [watch.section] : []),
    ...(me?.role === 'issuer' ? [uploadSection(dealId)] : []));
  await Promise.all([trends.load(), watch?.load()]);
}

/** Previous / Next buttons around "x–y of z", for a list shown a page at a time; `move(-1 | 1)` turns the page. */
function pagerControls(label, id, move) {
  const prev = h('button', { type: 'button', class: 'secondary', id: `${id}-prev`, onclick: () => move(-1) }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary', id: `${id}-next`, onclick: () => move(1) }, 'Next page');
  const status = h('span', { class: 'muted', id: `${id}-status`, 'aria-live': 'polite' });
  return { prev, next, status, el: h('nav', { class: 'pager', 'aria-label': label }, prev, status, next) };
}

/** A filter form: labelled controls ([id, label, control]) and buttons in one row. */
function filterForm(label, controls, ...buttons) {
  return h('form', { 'aria-label': label },
    h('div', { class: 'form-row' }, controls.map(([id, text, control]) => h('div', {}, h('label', { for: id }, text), control)), buttons));
}

const FINDINGS_PAGE = 50;
const FINDINGS_MAX = 1000;

function errorsSection(tape, report) {
  const fields = new Set();
  const codes = new Set();
  for (const f of report.validation.errors ?? []) { if (f.field) fields.add(f.field); codes.add(f.code); }
  for (const q of report.validation.dataQuality ?? []) if (q.invalid > 0 || q.warning > 0) fields.add(q.field);
  const fieldSel = h('select', { id: 'errors-field', name: 'field' }, h('option', { value: '' }, 'All fields'), [...fields].sort().map((f) => h('option', { value: f }, f)));
  const codeSel = h('select', { id: 'errors-code', name: 'code' }, h('option', { value: '' }, 'All codes'), [...codes].sort().map((c) => h('option', { value: c }, c)));
  const severitySel = h('select', { id: 'errors-severity', name: 'severity' }, h('option', { value: '' }, 'Errors and warnings'), h('option', { value: 'error' }, 'Errors'), h('option', { value: 'warning' }, 'Warnings'));
  const holder = h('div', { id: 'errors-table' });
  const pager = pagerControls('Findings pages', 'errors', (delta) => { pageIndex += delta; show(); });
  let findings = [];
  let pageIndex = 0;
  const query = () => {
    const p = new URLSearchParams();
    if (fieldSel.value) p.set('field', fieldSel.value);
    if (codeSel.value) p.set('code', codeSel.value);
    if (severitySel.value) p.set('severity', severitySel.value);
    return p;
  };
  const show = () => {
    const start = pageIndex * FINDINGS_PAGE;
    const shown = findings.slice(start, start + FINDINGS_PAGE);
    holder.replaceChildren(table(['Row', 'Loan', 'Field', 'Code', 'Severity', 'Message', 'Value'],
      shown.map((f) => [String(f.row), f.loanId ?? '', f.field ?? '—', f.code, badge(f.severity, f.severity === 'error' ? 'fail' : ''), f.message, f.value ?? '']), 'Findings'));
    pager.prev.disabled = pageIndex === 0;
    pager.next.disabled = start + FINDINGS_PAGE >= findings.length;
    pager.status.textContent = findings.length === 0 ? 'No findings.'
      : `Findings ${start + 1}–${start + shown.length} of ${findings.length}${findings.length === FINDINGS_MAX ? ` (the first ${groupThousands(String(FINDINGS_MAX))}; download the CSV for all)` : ''}`;
  };
  const load = async () => {
    // The first FINDINGS_MAX findings, or fewer when so many are too large to answer inline.
    findings = [];
    for (const limit of [FINDINGS_MAX, FINDINGS_PAGE]) {
      const p = query();
      p.set('limit', String(limit));
      const got = await ndjson(`/v1/tapes/${enc(tape.tapeId)}/errors?${p}`);
      if (got !== null) { findings = got; break; }
    }
    pageIndex = 0;
    show();
  };
  const form = filterForm('Filter findings', [['errors-field', 'Field', fieldSel], ['errors-code', 'Code', codeSel], ['errors-severity', 'Severity', severitySel]],
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'button', class: 'secondary', id: 'download-csv', onclick: () => download(`/v1/tapes/${enc(tape.tapeId)}/errors?${query()}`, 'text/csv', `${tape.tapeId}-errors.csv`) }, 'Download CSV'));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  const v = report.validation;
  const section = card(`Errors and warnings (${groupThousands(String(v.errorCount))} errors, ${groupThousands(String(v.warningCount))} warnings)`, form, holder, pager.el);
  return { section, load };
}

const LOANS_PAGE = 25;

/** Per-loan eligibility from GET /v1/tapes/{id}/loans, a page at a time, filtered by eligibility and failed criterion. */
function loansSection(tape, report, criterionLabel) {
  const elig = report.eligibility ?? { eligibleCount: 0, ineligibleCount: 0, failuresByCriterion: {} };
  const eligibleSel = h('select', { id: 'loans-eligible', name: 'eligible' },
    h('option', { value: '' }, 'All loans'), h('option', { value: 'false' }, 'Ineligible'), h('option', { value: 'true' }, 'Eligible'));
  const criterionSel = h('select', { id: 'loans-criterion', name: 'criterion' }, h('option', { value: '' }, 'Any criterion'),
    Object.keys(elig.failuresByCriterion).sort().map((id) => h('option', { value: id }, `${criterionLabel(id)} (${id})`)));
  const holder = h('div', { id: 'loans-table' });
  const pager = pagerControls('Loan pages', 'loans', (delta) => { pageIndex += delta; load(); });
  let tokens = [null];
  let pageIndex = 0;
  /** How many loans the filters select, from the report's counts. */
  const total = () => {
    if (criterionSel.value) return eligibleSel.value === 'true' ? 0 : elig.failuresByCriterion[criterionSel.value] ?? 0;
    if (eligibleSel.value === 'true') return elig.eligibleCount;
    if (eligibleSel.value === 'false') return elig.ineligibleCount;
    return elig.eligibleCount + elig.ineligibleCount;
  };
  const load = async () => {
    const p = new URLSearchParams({ limit: String(LOANS_PAGE) });
    if (eligibleSel.value) p.set('eligible', eligibleSel.value);
    if (criterionSel.value) p.set('criterion', criterionSel.value);
    if (tokens[pageIndex]) p.set('nextToken', tokens[pageIndex]);
    pager.prev.disabled = true;
    pager.next.disabled = true;
    const page = await api(`/v1/tapes/${enc(tape.tapeId)}/loans?${p}`);
    tokens[pageIndex + 1] = page.nextToken;
    // A compute tape's items are lots ({ row, lotId, eligible, failures }).
    holder.replaceChildren(table(['Row', page.items.some((l) => l.lotId !== undefined) ? 'Lot' : 'Loan', 'Eligible', 'Why not'], page.items.map((l) => [
      String(l.row), l.lotId ?? l.loanId, badge(l.eligible ? 'eligible' : 'ineligible', l.eligible ? 'pass' : 'fail'),
      l.failures.length === 0 ? '—' : h('ul', { class: 'plain' }, l.failures.map((f) => h('li', {}, `${f.reason} `, h('span', { class: 'muted' }, `(${criterionLabel(f.criterion)}, `, h('span', { class: 'code' }, f.criterion), ')')))),
    ]), 'Loans'));
    const start = pageIndex * LOANS_PAGE;
    pager.prev.disabled = pageIndex === 0;
    pager.next.disabled = !page.nextToken;
    pager.status.textContent = page.items.length === 0 ? 'No loans.' : `Loans ${start + 1}–${start + page.items.length} of ${groupThousands(String(total()))}`;
  };
  const form = filterForm('Filter loans', [['loans-eligible', 'Eligibility', eligibleSel], ['loans-criterion', 'Failing criterion', criterionSel]],
    h('button', { type: 'submit' }, 'Show loans'));
  form.addEventListener('submit', (e) => { e.preventDefault(); tokens = [null]; pageIndex = 0; load(); });
  const section = card(report.tape.kind === 'compute' ? 'Lots and their eligibility' : 'Loans and their eligibility', h('p', { class: 'muted' }, 'Valid rows only: invalid rows are not evaluated (see the errors below).'), form, holder, pager.el);
  return { section, load };
}

/** The verdict at the top of a tape: what a reviewer must know first, red when the tape gives no usable pool. */
function verdictOf(tape, report, currency) {
  const s = tape.summary;
  if (tape.status === 'FAILED') {
    return { bad: true, headline: tape.reason ?? 'The tape could not be processed.', detail: tape.failure ? `Code ${tape.failure.code}` : null };
  }
  if (tape.status === 'DUPLICATE') {
    return { bad: false, headline: tape.reason ?? 'Same content as an earlier tape.', detail: tape.duplicateOf ? h('a', { href: `#/tape/${enc(tape.duplicateOf)}` }, 'Open the earlier tape') : null };
  }
  if (!tape.progress.final) {
    return { pending: true, headline: `Step ${tape.progress.stepNumber} of ${tape.progress.stepCount}${tape.progress.step ? ` (${tape.progress.step})` : ''}` };
  }
  const v = report.validation;
  // A compute tape's rows are equipment lots (report.tape.kind); a loan tape's, loans.
  const noun = report.tape?.kind === 'compute' ? 'lot' : 'loan';
  const counts = statList([
    ['Errors', groupThousands(String(v.errorCount))],
    ['Warnings', groupThousands(String(v.warningCount))],
    ['Invalid rows', `${groupThousands(String(v.invalidRowCount))} of ${groupThousands(String(v.rowCount))}`],
    [`Eligible ${noun}s`, s.eligibleCount === null ? '—' : `${groupThousands(String(s.eligibleCount))} of ${groupThousands(String(v.validRowCount))} valid`],
    ['Eligible balance', moneyCell(s.eligibleBalance, currency)],
    ['Score', report.score ? `${roundDecimal(report.score.points, 1)} · ${report.score.band}` : '—'],
  ]);
  if (v.validRowCount === 0) return { bad: true, headline: `No valid ${noun}: all ${groupThousands(String(v.rowCount))} rows have errors. Fix them (see the errors below) and upload the tape again.`, detail: counts };
  if (s.eligibleCount === 0) return { bad: true, headline: `No eligible ${noun}: every valid ${noun} fails an eligibility criterion (see the ${noun}s below), so there is no pool to test or score.`, detail: counts };
  const failed = (report.concentrations ?? []).filter((t) => !t.pass).map((t) => t.id);
  return {
    bad: false,
    headline: `${report.score ? report.score.band : 'Not scored'}${failed.length ? `; ${failed.length} test${failed.length === 1 ? '' : 's'} breached (${failed.join(', ')})` : '; every test passes'}`,
    detail: counts,
  };
}

/** One test against its limit, on its own scale (0 to 1.25 x the larger of actual and limit). */
function bullet(test) {
  const actual = test.actual === null ? null : Number(test.actual);
  const limit = Number(test.limit);
  const scale = Math.max(actual ?? 0, limit) * 1.25 || 1;
  const text = `${figure(test.actual, test.unit)} against a ${test.limitType === 'max' ? 'maximum' : 'minimum'} of ${figure(test.limit, test.unit)}`;
  const box = h('div', { class: 'bullet', role: 'img', 'aria-label': text, title: text },
    actual === null ? null : h('span', { class: `bar${test.pass ? '' : ' fail'}` }),
    h('span', { class: 'limit' }));
  if (actual !== null) box.querySelector('.bar').style.width = `${(actual / scale) * 100}%`;
  box.querySelector('.limit').style.left = `${(limit / scale) * 100}%`;
  return box;
}

/** A score factor's value: shares and LTV as %, others to 3 places. */
function factorValue(f) {
  if (f.value === null || f.value === undefined) return '—';
  return /share|ltv/i.test(f.metric) ? percent(f.value) : roundDecimal(f.value, 3);
}

async function showTape(seq, tapeId) {
  const tape = await api(`/v1/tapes/${enc(tapeId)}`);
  if (seq !== renderSeq) return;
  const crumbs = h('nav', { class: 'breadcrumbs', 'aria-label': 'Breadcrumbs' }, h('a', { href: '#/' }, 'Deals'),
    tape.dealId ? [' / ', h('a', { href: `#/deal/${enc(tape.issuerId)}/${enc(tape.dealId)}` }, `${tape.issuerId} / ${tape.dealId}`)] : null,
    ' / ', tape.fileName ?? tape.object.key);
  const header = h('h1', {}, tape.fileName ?? tape.object.key);
  const times = h('p', { class: 'muted' }, `Uploaded ${when(tape.uploadedAt)} · last change ${when(tape.updatedAt)}`);
  const verdictCard = (verdict) => h('section', { id: 'verdict', class: `card verdict${verdict.bad ? ' bad' : ''}${verdict.pending ? ' pending' : ''}`, 'aria-label': 'Verdict' },
    h('p', { class: 'headline' }, badge(tape.status), ' ', verdict.headline),
    verdict.detail ?? null,
    tape.progress.final ? null : [h('label', { for: 'tape-progress' }, 'Progress'), h('progress', { id: 'tape-progress', max: 100, value: tape.progress.percent }, `${tape.progress.percent} %`)]);
  if (tape.status === 'FAILED' && tape.failure?.code === 'NO_VALID_LOANS') {
    // No valid loan: no results, but the validation report and its findings say why, row by row.
    const report = await api(`/v1/tapes/${enc(tapeId)}/report`);
    if (seq !== renderSeq) return;
    const errors = errorsSection(tape, report);
    const v = report.validation;
    const counts = statList([
      ['Errors', groupThousands(String(v.errorCount))],
      ['Warnings', groupThousands(String(v.warningCount))],
      ['Invalid rows', `${groupThousands(String(v.invalidRowCount))} of ${groupThousands(String(v.rowCount))}`],
    ]);
    const issuer = await issuerTapeSections(tape);
    if (seq !== renderSeq) return;
    main.replaceChildren(crumbs, header, times, verdictCard({ bad: true, headline: tape.reason, detail: counts }), ...issuer, errors.section);
    await errors.load();
    return;
  }
  if (tape.status !== 'SCORED') {
    const issuer = tape.progress.final ? await issuerTapeSections(tape) : [];
    if (seq !== renderSeq) return;
    main.replaceChildren(crumbs, header, times, verdictCard(verdictOf(tape)), ...issuer);
    if (!tape.progress.final) setTimeout(() => { if (seq === renderSeq) route(); }, 2000);
    return;
  }
  const [report, criteria] = await Promise.all([
    api(`/v1/tapes/${enc(tapeId)}/report`),
    // Labels and currency; without them the page still shows codes and plain amounts.
    api(`/v1/tapes/${enc(tapeId)}/criteria`).catch((err) => { if (err.status === 401) throw err; return null; }),
  ]);
  if (seq !== renderSeq) return;
  const currency = criteria?.dealCurrency;
  const criterionLabel = (id) => criteria?.eligibility.find((e) => e.id === id)?.label ?? id;
  const v = report.validation;
  const compute = report.tape.kind === 'compute' ? computeView({ ...ui, bullet, labelled, factorValue, download }, { tapeId, report, currency, criteria }) : null;

  const overview = card('Overview', statList([
    ['Data-quality score', v.dataQualityScore],
    ['Rows (valid / invalid)', `${groupThousands(String(v.validRowCount))} / ${groupThousands(String(v.invalidRowCount))}`],
    ['Reporting date', report.tape.reportingDate ?? '—'],
    ['Deal currency', currency ?? '—'],
  ]), h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => download(`/v1/tapes/${enc(tapeId)}/report`, 'application/json', `${tapeId}-report.json`) }, 'Download report (JSON)')));

  // Eligibility failures by criterion
  const failures = Object.entries(report.eligibility?.failuresByCriterion ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const elig = chartBox(`Loans failing each eligibility criterion: ${failures.map(([k, n]) => `${criterionLabel(k)} (${k}) ${n}`).join(', ')}`);
  const eligCard = card('Eligibility failures by criterion', elig.box,
    table(['Criterion', { label: 'Loans failing', num: true }], failures.map(([k, n]) => [labelled(criterionLabel(k), k), groupThousands(String(n))]), 'Eligibility failures'));

  // Concentration and pool tests, each against its own limit
  const tests = report.concentrations ?? [];
  const topOf = (id) => criteria?.concentrations.find((c) => c.id === id)?.top;
  const concCard = card('Concentration tests against limits',
    h('p', { class: 'muted' }, 'Each bar is drawn on its own scale; the dashed line is the limit. Green passes, red fails: a maximum must stay left of the line, a minimum reach past it. The largest contributors say what drives a test.'),
    table(['Test', 'Against the limit', { label: 'Actual', num: true }, { label: 'Limit', num: true }, { label: 'Headroom', num: true }, 'Result', 'Largest contributors'],
      tests.map((t) => [
        labelled(t.description, t.id), bullet(t), figure(t.actual, t.unit), `${t.limitType === 'max' ? '≤' : '≥'} ${figure(t.limit, t.unit)}`, figure(t.headroom, t.unit),
        h('span', {}, badge(t.pass ? 'pass' : 'fail'), t.reason ? h('div', { class: 'muted' }, t.reason) : null),
        (t.top ?? []).length === 0 ? '—' : h('div', {}, topOf(t.id) ? h('div', { class: 'muted' }, topOf(t.id)) : null,
          h('ul', { class: 'plain' }, t.top.map((c) => h('li', {}, `${c.key} `, h('span', { class: 'nowrap' }, percent(c.share)))))),
      ]), 'Concentration tests'));

  const pool = report.pool ?? {};
  const poolCard = card('Pool (eligible loans)', statList([
    ['Loans', pool.loanCount === undefined ? '—' : groupThousands(String(pool.loanCount))],
    ['Current balance', moneyCell(pool.currentBalance, currency)],
    ['WA DSCR', figure(pool.waDscr, 'ratio')],
    ['WA LTV', figure(pool.waLtv, 'fraction')],
    ['WA interest rate', figure(pool.waInterestRate, 'fraction')],
    ['WA remaining lease', figure(pool.waRemainingLeaseTermMonths, 'months')],
    ['Effective number of loans', figure(pool.effectiveLoanCount, 'loans')],
  ]), pool.reason ? h('p', { class: 'muted' }, pool.reason) : null);

  const factors = report.score?.factors ?? [];
  const factorLabel = (name) => criteria?.scoreFactors.find((f) => f.name === name)?.label ?? name;
  const scoreCard = card('Score factors', h('p', {}, report.score ? `${roundDecimal(report.score.points, 1)} points · ${report.score.band}` : 'Not scored.'),
    table(['Factor', { label: 'Value', num: true }, { label: 'Points', num: true }, { label: 'Weight', num: true }],
      factors.map((f) => [labelled(factorLabel(f.name), f.name), factorValue(f), roundDecimal(f.points, 1), percent(f.weight)]), 'Score factors'));

  // Balance-sheet transition by quarter, stacked by the largest tenant groups
  const transition = report.balanceSheetTransition ?? [];
  const totals = new Map();
  for (const q of transition) for (const g of q.byTenantGroup) totals.set(g.key, (totals.get(g.key) ?? 0) + Number(g.amount));
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k]) => k);
  const bst = chartBox(`Balance returning on balance sheet by quarter: ${transition.map((q) => `${q.quarter} ${money(q.amount, currency)}`).join(', ')}`);
  const bstCard = card('Balance-sheet transition by quarter', transition.length === 0
    ? h('p', { class: 'muted' }, 'No off-balance-sheet loans in this tape.')
    : [bst.box, h('details', {}, h('summary', {}, 'As a table'), table(['Quarter', { label: 'Amount', num: true }, { label: 'Loans', num: true }], transition.map((q) => [q.quarter, money(q.amount, currency), String(q.loanCount)])))]);

  const stress = stressPanel({ h, api, card, table, statList, money, percent, figure, chartBox, makeChart, announce }, { tape, report, currency });
  const loans = loansSection(tape, report, compute?.criterionLabel ?? criterionLabel);
  const errors = errorsSection(tape, report);
  const issuer = await issuerTapeSections(tape);
  if (seq !== renderSeq) return;
  if (compute) {
    // A compute tape: its own cards in place of the loan tape's; lots, findings and issuer sections as for loans.
    main.replaceChildren(crumbs, header, times, verdictCard(verdictOf(tape, report, currency)), ...compute.cards, loans.section, errors.section, ...issuer);
    compute.draw();
    await Promise.all([loans.load(), errors.load()]);
    announce(`Tape ${tape.fileName} loaded`);
    return;
  }
  const watch = report.watchlist && tape.dealId ? watchlistSection(ui, { issuerId: tape.issuerId, dealId: tape.dealId, tapeId }) : null;
  main.replaceChildren(crumbs, header, times, verdictCard(verdictOf(tape, report, currency)), overview,
    h('div', { class: 'grid' }, eligCard, poolCard), concCard, h('div', { class: 'grid' }, scoreCard, bstCard), stress.section, ...(watch ? [watch.section] : []), loans.section, errors.section, ...issuer);

  makeChart(elig.canvas, {
    type: 'bar',
    data: { labels: failures.map(([k]) => k), datasets: [{ label: 'Loans failing', data: failures.map(([, n]) => n), backgroundColor: COLORS.accent }] },
    options: {
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => items.map((i) => `${criterionLabel(failures[i.dataIndex][0])} (${failures[i.dataIndex][0]})`) } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'loans' } } },
    },
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
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: `current balance${currency ? ` (${currency})` : ''}` } } } },
    });
  }
  stress.draw();
  await Promise.all([loans.load(), errors.load(), watch?.load()]);
  announce(`Tape ${tape.fileName} loaded`);
}

/** A figure of the comparison for display: money with separators, long decimals to 4 places. */
function fmtFigure(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return String(v);
  if (/^-?\d+\.\d{2}$/.test(v)) return money(v);
  if (/^-?\d+\.\d{3,}$/.test(v)) return roundDecimal(v, 4).replace(/\.?0+$/, '');
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
      ['Before', c.score.from ? `${roundDecimal(c.score.from.points, 1)} · ${c.score.from.band}` : '—'],
      ['After', c.score.to ? `${roundDecimal(c.score.to.points, 1)} · ${c.score.to.band}` : '—'],
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

// ---------- issuers: upload a tape, watch it, map its columns ----------

/** Letters, digits, . _ - (1-64): the API's rule for a deal id in a tape's key. */
const DEAL_ID = '[A-Za-z0-9._\\-]{1,64}';
const WATCH_EVERY_MS = 1000;
/** How long the page waits for the pipeline to pick up an upload before it stops watching. */
const WATCH_PICKUP_MS = 120_000;

/** PUTs the file to the presigned URL, reporting progress (0..1). XMLHttpRequest: fetch has no upload progress. */
function putFile(ticket, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method ?? 'PUT', ticket.uploadUrl);
    // Content-Length is signed; the browser sets it from the file (scripts may not set it).
    for (const [k, v] of Object.entries(ticket.headers ?? {})) if (k.toLowerCase() !== 'content-length') xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve()
      : reject(new Error(`The storage refused the upload (HTTP ${xhr.status}). Upload the tape again; the link is valid until ${when(ticket.expiresAt)}.`))));
    xhr.addEventListener('error', () => reject(new Error('The upload did not reach the storage (network error, or this site may not upload there). Upload the tape again.')));
    xhr.send(file);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The tapes of a deal, newest first ([] for a deal without tapes yet). */
async function dealTapes(dealId) {
  try {
    return (await api(`/v1/deals/${enc(dealId)}/tapes?limit=100`)).items;
  } catch (err) {
    if (err.status === 404) return [];
    throw err;
  }
}

/**
 * An issuer's upload control: deal id (when not given), file, a progress bar for the upload, then
 * the tape watched step by step until it ends; then the tape's page opens.
 */
function uploadSection(givenDealId) {
  const dealInput = givenDealId ? null : h('input', { id: 'upload-deal', name: 'dealId', required: true, pattern: DEAL_ID, autocomplete: 'off', spellcheck: 'false' });
  const fileInput = h('input', { id: 'upload-file', name: 'file', type: 'file', required: true });
  const bar = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true });
  const status = h('p', { id: 'upload-status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, 'Upload tape');
  const form = h('form', { id: 'upload-form', 'aria-label': 'Upload a tape' },
    h('div', { class: 'form-row' },
      dealInput ? h('div', {}, h('label', { for: 'upload-deal' }, 'Deal id'), dealInput) : null,
      h('div', {}, h('label', { for: 'upload-file' }, 'Tape file (CSV, XLSX or NDJSON)'), fileInput),
      button),
    bar, status);
  const say = (text, error = false) => { status.textContent = text; status.className = error ? 'error' : ''; };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const dealId = givenDealId ?? dealInput.value.trim();
    const file = fileInput.files?.[0];
    if (!file) { say('Choose a file first.', true); return; }
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    try {
      const before = new Set((await dealTapes(dealId)).map((t) => t.tapeId));
      say(`Uploading ${file.name}…`);
      const ticket = await api(`/v1/deals/${enc(dealId)}/tapes`, { method: 'POST', body: { fileName: file.name, size: file.size } });
      await putFile(ticket, file, (share) => { bar.value = Math.round(share * 100); });
      bar.value = 100;
      say(`Uploaded ${file.name}; waiting for the pipeline to pick it up…`);
      announce(`Uploaded ${file.name}`);
      // The new tape: the deal's newest tape of this file name that was not there before the upload.
      let tape = null;
      for (const start = Date.now(); !tape && Date.now() - start < WATCH_PICKUP_MS; ) {
        if (!form.isConnected) return;
        await sleep(WATCH_EVERY_MS);
        const item = (await dealTapes(dealId)).find((t) => t.fileName === file.name && !before.has(t.tapeId));
        if (item) tape = await api(`/v1/tapes/${enc(item.tapeId)}`);
      }
      if (!tape) { say(`${file.name} is stored, but no tape for it has appeared yet; open deal ${dealId} later to see it.`); return; }
      while (!tape.progress.final) {
        say(`${file.name}: ${tape.status} · step ${tape.progress.stepNumber} of ${tape.progress.stepCount}${tape.progress.step ? ` (${tape.progress.step})` : ''} · ${tape.progress.percent} %`);
        bar.value = tape.progress.percent;
        await sleep(WATCH_EVERY_MS);
        if (!form.isConnected) return;
        tape = await api(`/v1/tapes/${enc(tape.tapeId)}`);
      }
      say(`${file.name}: ${tape.status}${tape.reason ? ` (${tape.reason})` : ''}`);
      announce(`${file.name} is ${tape.status}`);
      if (form.isConnected) location.hash = `#/tape/${enc(tape.tapeId)}`;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      say(err.message, true);
    } finally {
      button.disabled = false;
    }
  });
  return card(givenDealId ? 'Upload a tape' : 'New upload', h('p', { class: 'muted' },
    givenDealId ? `A new version of deal ${givenDealId}. It is checked and scored in a minute or two; this page shows each step.`
      : 'The deal is created by its first tape. The tape is checked and scored in a minute or two; this page shows each step.'), form);
}

let loanFieldsCache = null;

/** The standard's loan fields (name -> schema), from the API's OpenAPI document (schema title DmbsLoan). */
function loanFields() {
  loanFieldsCache ??= fetch('/openapi.json').then((r) => r.json()).then((doc) => doc.components.schemas.DmbsLoan.properties);
  loanFieldsCache.catch(() => { loanFieldsCache = null; });
  return loanFieldsCache;
}

/** The field an UNKNOWN_COLUMN finding suggests (its `suggestedField`), if the standard has it. */
function suggestedField(finding, fields) {
  const name = finding.suggestedField;
  return name && fields[name] ? name : '';
}

/** "0=CURRENT, 1=DPD_30" -> { "0": "CURRENT", "1": "DPD_30" }; and back. */
function parseValues(text) {
  const out = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new Error(`'${pair}' is not code=VALUE (for example 0=CURRENT).`);
    out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return out;
}
const valuesText = (values) => Object.entries(values ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');

/**
 * Issuers, when a tape has unknown or missing columns: each unknown header with a field of the
 * standard (the suggested one pre-selected), and what the field needs to read it (a date pattern,
 * percent, code translations). Saving merges into the deal's stored mapping.
 */
async function mappingSection(tape) {
  // A tape that failed before validation (not a tape, too large) has no findings: nothing to map.
  const [unknown, missing] = await Promise.all(['UNKNOWN_COLUMN', 'MISSING_COLUMN'].map((code) => ndjson(`/v1/tapes/${enc(tape.tapeId)}/errors?code=${code}&limit=1000`)
    .catch((err) => { if (err.status === 401) throw err; return null; })));
  if ((unknown ?? []).length === 0) return null;
  const [fields, stored] = await Promise.all([
    loanFields(),
    api(`/v1/deals/${enc(tape.dealId)}/mapping`).catch((err) => { if (err.status === 404) return null; throw err; }),
  ]);
  const names = Object.keys(fields);
  const missingNames = new Set((missing ?? []).map((f) => f.field).filter(Boolean));
  const rows = unknown.map((f, i) => {
    const header = f.value;
    const id = `map-${i}`;
    const current = stored?.columns?.[header];
    const chosen = typeof current === 'string' ? current : current?.field ?? suggestedField(f, fields);
    const select = h('select', { id, name: header, 'data-header': header },
      h('option', { value: '' }, '(leave unmapped)'),
      h('option', { value: '-ignore' }, '(ignore this column)'),
      names.map((n) => h('option', { value: n, selected: n === chosen || undefined }, `${n}${missingNames.has(n) ? ' (missing, required)' : ''}`)));
    const options = h('div', { class: 'map-options' });
    const drawOptions = () => {
      const spec = fields[select.value];
      const prior = typeof current === 'object' && current?.field === select.value ? current : {};
      const parts = [];
      if (spec?.['x-kind'] === 'date') {
        // A pattern named in the header, e.g. "Maturity (MM/DD/YYYY)".
        const fromHeader = /\b([YMD]{1,4}(?:[-/. ]?[YMD]{1,4})+)\b/.exec(header)?.[1];
        parts.push(h('label', { for: `${id}-date` }, 'Date written as'),
          h('input', { id: `${id}-date`, 'data-option': 'datePattern', placeholder: 'YYYY-MM-DD', value: prior.datePattern ?? fromHeader ?? '' }));
      } else if (spec?.['x-kind'] === 'fraction') {
        const percent = (prior.unit ?? (/%|percent|pct/i.test(header) ? 'percent' : 'fraction')) === 'percent';
        parts.push(h('label', { for: `${id}-unit` }, 'Written as'),
          h('select', { id: `${id}-unit`, 'data-option': 'unit' },
            h('option', { value: 'fraction', selected: !percent || undefined }, 'fraction (0.0525)'),
            h('option', { value: 'percent', selected: percent || undefined }, 'percent (5.25)')));
      } else if (Array.isArray(spec?.enum)) {
        parts.push(h('label', { for: `${id}-values` }, `Codes (${spec.enum.join(', ')})`),
          h('input', { id: `${id}-values`, 'data-option': 'values', placeholder: `0=${spec.enum[0]}, 1=${spec.enum[1] ?? spec.enum[0]}`, value: valuesText(prior.values) }));
      }
      options.replaceChildren(...parts);
    };
    select.addEventListener('change', drawOptions);
    drawOptions();
    return { header, select, options, cells: [h('label', { for: id }, header), select, options] };
  });
  const status = h('p', { id: 'mapping-status', 'aria-live': 'polite' });
  const form = h('form', { id: 'mapping-form', 'aria-label': 'Map columns' },
    table(['Column in the tape', 'Field of the standard', 'How it is written'], rows.map((r) => r.cells), 'Map columns'),
    h('p', {}, h('button', { type: 'submit' }, 'Save mapping')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    status.className = '';
    try {
      const columns = { ...(stored?.columns ?? {}) };
      const ignore = new Set(stored?.ignore ?? []);
      for (const r of rows) {
        delete columns[r.header];
        ignore.delete(r.header);
        if (r.select.value === '-ignore') { ignore.add(r.header); continue; }
        if (!r.select.value) continue;
        const spec = { field: r.select.value };
        for (const input of r.options.querySelectorAll('[data-option]')) {
          const v = input.value.trim();
          if (!v) continue;
          spec[input.dataset.option] = input.dataset.option === 'values' ? parseValues(v) : v;
        }
        if (spec.unit === 'fraction') delete spec.unit;
        columns[r.header] = Object.keys(spec).length === 1 ? spec.field : spec;
      }
      const body = { ...(stored ?? {}), schemaVersion: 'dmbs-column-mapping/1', columns };
      if (ignore.size > 0) body.ignore = [...ignore]; else delete body.ignore;
      await api(`/v1/deals/${enc(tape.dealId)}/mapping`, { method: 'PUT', body });
      status.textContent = 'Mapping saved — upload the tape again.';
      announce('Mapping saved');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      status.className = 'error';
      status.textContent = err.message;
    }
  });
  return card('Map columns', h('p', { class: 'muted' },
    `${unknown.length} column${unknown.length === 1 ? '' : 's'} of this tape match no field${missingNames.size ? ` and ${missingNames.size} required field${missingNames.size === 1 ? ' is' : 's are'} missing` : ''}. Say which field each column is; the deal's mapping applies to the next upload.`), form);
}

/** An issuer's extras on a tape that has ended: the column mapping form (when needed) and the upload control. */
async function issuerTapeSections(tape) {
  const me = await whoAmI().catch(() => null);
  if (me?.role !== 'issuer' || !tape.dealId || !tape.progress.final) return [];
  const mapping = await mappingSection(tape);
  return [mapping, uploadSection(tape.dealId)].filter(Boolean);
}

// ---------- routing ----------

async function route() {
  const seq = ++renderSeq;
  destroyCharts();
  if (!sessionStorage.getItem(KEY_STORAGE)) { showSignIn(); return; }
  document.getElementById('account').hidden = false;
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    let parts;
    try {
      parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      // A hand-edited or truncated link (e.g. '%E0'): say so rather than fail silently.
      throw new Error('This page address is not valid (a part of it is badly encoded). Open the deal list and follow a link from there.');
    }
    if (parts[0] === 'deal' && parts.length === 3) await showDeal(seq, parts[1], parts[2]);
    else if (parts[0] === 'tape' && parts.length === 2) await showTape(seq, parts[1]);
    else if (parts[0] === 'compare' && parts.length === 5) await showCompare(seq, parts[1], parts[2], parts[3], parts[4]);
    else if (parts[0] === 'market' && parts.length <= 2) await showMarket(seq, ui, parts[1]);
    else if (parts[0] === 'dmbx' && parts.length <= 2) await (parts[1] ? showDmbxSeries(seq, ui, parts[1]) : showDmbxList(seq, ui));
    else await showDeals(seq);
    if (seq === renderSeq) main.focus();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    if (seq !== renderSeq) return;
    main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, err.message), h('p', {}, h('a', { href: '#/' }, 'Back to deals')));
  }
}

/** The helpers the views in their own modules (stress-panel.js, watchlist-view.js, market-view.js, dmbx-view.js) draw with. */
const ui = {
  h, api, enc, card, table, statList, badge, chartBox, makeChart, money, moneyCell, percent, figure, roundDecimal, groupThousands, when, announce,
  main, COLORS, PALETTE, isCurrent: (seq) => seq === renderSeq,
};

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  renderSeq++; // anything still loading is dropped
  if (location.hash !== '#/' && location.hash !== '') history.pushState(null, '', '#/');
  showSignIn('Signed out.');
});
window.addEventListener('hashchange', route);
if (sessionStorage.getItem(KEY_STORAGE)) showAccount();
route();
