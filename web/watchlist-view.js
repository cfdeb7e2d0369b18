// Surveillance on the reviewers' page: a deal's trends over its reporting dates
// (GET /v1/deals/{dealId}/trends) and its current watchlist (GET /v1/deals/{dealId}/watchlist):
// the loans, their codes with what each means, and the values the codes read, prior and current.
// A tape's page shows the same listing for that tape. `ui` is the page's toolkit (app.js): DOM
// helper, API client, cards, tables and charts; data goes into the DOM as text only.

const WATCH_PAGE = 50;

/** "prior → current", or just the current value when there is no prior loan. */
function priorToCurrent(prior, current, show = (v) => (v === null || v === undefined ? '—' : String(v))) {
  return prior === undefined ? show(current) : `${show(prior)} → ${show(current)}`;
}

const yesNo = (v) => (v === true ? 'yes' : v === false ? 'no' : '—');

/**
 * The watchlist card of one tape (the deal's latest when `tapeId` is absent): a summary, the codes
 * with their meaning and count, a code filter and the loans a page at a time.
 * @returns {{ section: HTMLElement, load: () => Promise<void> }}
 */
export function watchlistSection(ui, { issuerId, dealId, tapeId, title = 'Watchlist' }) {
  const { h, api, enc } = ui;
  const summary = h('div', {}, h('p', { class: 'muted' }, 'Loading the watchlist…'));
  const codeSelect = h('select', { id: 'watch-code', name: 'code' }, h('option', { value: '' }, 'all codes'));
  const body = h('div', { id: 'watchlist-loans' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more loans');
  const section = ui.card(title,
    summary,
    h('form', { 'aria-label': 'Filter the watchlist', class: 'form-row' }, h('div', {}, h('label', { for: 'watch-code' }, 'Code'), codeSelect)),
    body, more);
  section.id = 'watchlist';
  const base = `/v1/deals/${enc(dealId)}/watchlist?issuerId=${enc(issuerId)}${tapeId ? `&tapeId=${enc(tapeId)}` : ''}&limit=${WATCH_PAGE}`;
  let meanings = new Map();
  let rows = [];
  let next = null;

  const renderRows = () => {
    body.replaceChildren(rows.length === 0
      ? h('p', { class: 'muted' }, 'No loan on the watchlist.')
      : ui.table(['Row', 'Loan', 'Codes', { label: 'Balance', num: true }, 'DSCR', 'LTV', 'Payment', 'Lease expiry', 'Tenant rating', 'Completion', 'Off balance sheet'],
        rows.map((l) => {
          const p = l.prior ?? undefined;
          return [
            String(l.row), l.loanId,
            h('span', { class: 'codes' }, l.codes.map((c) => h('abbr', { class: 'badge watch', title: meanings.get(c) ?? c }, c))),
            ui.moneyCell(l.currentBalance),
            priorToCurrent(p?.dscr, l.current.dscr), String(l.current.ltv), l.current.paymentStatus, l.current.leaseExpiryDate,
            priorToCurrent(p ? p.largestTenantRating ?? 'NR' : undefined, l.current.largestTenantRating),
            priorToCurrent(p?.expectedCompletionDate, l.current.expectedCompletionDate),
            priorToCurrent(p ? yesNo(p.offBalanceSheet) : undefined, yesNo(l.current.offBalanceSheet)),
          ];
        }), 'Watchlisted loans (prior → current)'));
    more.hidden = next === null;
  };

  const fetchPage = async (token) => {
    const code = codeSelect.value;
    return api(`${base}${code ? `&code=${enc(code)}` : ''}${token ? `&nextToken=${enc(token)}` : ''}`);
  };

  const load = async () => {
    let w;
    try {
      w = await fetchPage(null);
    } catch (err) {
      if (err.status === 401) throw err;
      summary.replaceChildren(h('p', { class: 'muted' }, err.message));
      return;
    }
    meanings = new Map(w.codes.map((c) => [c.code, c.meaning]));
    const prior = w.priorTape ? `against the tape of ${w.priorTape.reportingDate ?? '—'}` : 'the deal\'s first tape: the codes that compare with a prior loan were not tested';
    summary.replaceChildren(
      h('p', {}, `${w.tape.fileName} (${w.tape.reportingDate ?? '—'}), ${prior}: `,
        h('strong', {}, `${ui.groupThousands(String(w.loanCount))} loans`), `, ${ui.money(w.balance)}`, w.share === null ? '' : ` (${ui.percent(w.share)} of the balance)`),
      ui.table(['Code', 'On the watchlist when', { label: 'Loans', num: true }],
        w.codes.map((c) => [c.code, c.enabled ? c.meaning : `${c.meaning} (switched off for this deal)`, ui.groupThousands(String(w.countsByCode[c.code] ?? 0))]), 'Watchlist codes'));
    for (const c of w.codes) codeSelect.append(h('option', { value: c.code }, `${c.code} (${w.countsByCode[c.code] ?? 0})`));
    rows = w.items;
    next = w.nextToken;
    renderRows();
  };

  codeSelect.addEventListener('change', async () => {
    const page = await fetchPage(null);
    rows = page.items;
    next = page.nextToken;
    renderRows();
    ui.announce(`${rows.length} watchlisted loans shown`);
  });
  more.addEventListener('click', async () => {
    const page = await fetchPage(next);
    rows = [...rows, ...page.items];
    next = page.nextToken;
    renderRows();
  });
  return { section, load };
}

const num = (v) => (v === null || v === undefined ? null : Number(v));

/**
 * The deal's trend charts over its reporting dates, and the same figures as a table.
 * @returns {{ section: HTMLElement, load: () => Promise<void> }}
 */
export function trendsSection(ui, { issuerId, dealId }) {
  const { h, api, enc } = ui;
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading the trends…'));
  const section = ui.card('Trends over reporting dates', body);
  section.id = 'trends';

  const load = async () => {
    let points;
    try {
      ({ points } = await api(`/v1/deals/${enc(dealId)}/trends?issuerId=${enc(issuerId)}`));
    } catch (err) {
      if (err.status === 401) throw err;
      body.replaceChildren(h('p', { class: 'muted' }, err.message));
      return;
    }
    if (points.length === 0) {
      body.replaceChildren(h('p', { class: 'muted' }, 'No scored tape yet.'));
      return;
    }
    const labels = points.map((p) => p.reportingDate);
    const balance = ui.chartBox(`Eligible pool balance by reporting date: ${points.map((p) => `${p.reportingDate} ${ui.money(p.poolBalance)}`).join(', ')}`);
    const ratios = ui.chartBox(`WA DSCR and LTV by reporting date: ${points.map((p) => `${p.reportingDate} DSCR ${p.waDscr ?? '—'}, LTV ${p.waLtv ?? '—'}`).join('; ')}`);
    const score = ui.chartBox(`Indicative score and data quality by reporting date: ${points.map((p) => `${p.reportingDate} ${p.scorePoints} / ${p.dataQualityScore}`).join(', ')}`);
    const watch = ui.chartBox(`Watchlisted loans by code and reporting date: ${points.map((p) => `${p.reportingDate} ${p.watchlistLoanCount ?? '—'}`).join(', ')}`);
    const codes = [...new Set(points.flatMap((p) => Object.keys(p.watchlistCountsByCode ?? {})))].sort();
    body.replaceChildren(
      h('div', { class: 'grid' }, h('div', {}, h('h3', {}, 'Eligible pool balance'), balance.box), h('div', {}, h('h3', {}, 'WA DSCR and LTV'), ratios.box)),
      h('div', { class: 'grid' }, h('div', {}, h('h3', {}, 'Score and data quality'), score.box), h('div', {}, h('h3', {}, 'Watchlist by code'), watch.box)),
      h('details', {}, h('summary', {}, 'As a table'), ui.table(
        ['Reporting date', 'Tape', { label: 'Pool balance', num: true }, { label: 'Eligible loans', num: true }, { label: 'WA DSCR', num: true }, { label: 'WA LTV', num: true },
          { label: 'Stressed LTV', num: true }, { label: 'Score', num: true }, { label: 'Data quality', num: true }, { label: 'Watchlist share', num: true }, { label: 'Watchlisted', num: true }],
        points.map((p) => [p.reportingDate, h('a', { href: `#/tape/${enc(p.tapeId)}` }, p.fileName), ui.moneyCell(p.poolBalance), ui.groupThousands(String(p.eligibleCount)),
          ui.figure(p.waDscr, 'ratio'), ui.figure(p.waLtv, 'fraction'), ui.figure(p.stressedLtv, 'fraction'), ui.roundDecimal(p.scorePoints, 1), p.dataQualityScore,
          p.watchlistShare === null ? '—' : ui.percent(p.watchlistShare), p.watchlistLoanCount === null ? '—' : ui.groupThousands(String(p.watchlistLoanCount))]),
        'Trends')));
    const line = (label, data, color, axis = 'y') => ({ label, data, borderColor: color, backgroundColor: color, yAxisID: axis, tension: 0, spanGaps: true });
    ui.makeChart(balance.canvas, {
      type: 'line', data: { labels, datasets: [line('Pool balance', points.map((p) => num(p.poolBalance)), ui.PALETTE[0])] },
      options: { plugins: { legend: { display: false } }, scales: { y: { title: { display: true, text: 'current balance' } } } },
    });
    const ltv = [line('WA LTV', points.map((p) => num(p.waLtv)), ui.PALETTE[1], 'ltv')];
    if (points.some((p) => p.stressedLtv !== null)) ltv.push(line('Stressed LTV', points.map((p) => num(p.stressedLtv)), ui.PALETTE[4], 'ltv'));
    ui.makeChart(ratios.canvas, {
      type: 'line', data: { labels, datasets: [line('WA DSCR', points.map((p) => num(p.waDscr)), ui.PALETTE[0], 'dscr'), ...ltv] },
      options: { scales: { dscr: { position: 'left', title: { display: true, text: 'DSCR (x)' } }, ltv: { position: 'right', title: { display: true, text: 'LTV' }, grid: { drawOnChartArea: false } } } },
    });
    ui.makeChart(score.canvas, {
      type: 'line', data: { labels, datasets: [line('Score points', points.map((p) => num(p.scorePoints)), ui.PALETTE[2]), line('Data quality', points.map((p) => num(p.dataQualityScore)), ui.PALETTE[3])] },
      options: { scales: { y: { beginAtZero: true, suggestedMax: 100 } } },
    });
    ui.makeChart(watch.canvas, {
      type: 'bar',
      data: { labels, datasets: codes.map((c, i) => ({ label: c, data: points.map((p) => p.watchlistCountsByCode?.[c] ?? 0), backgroundColor: ui.PALETTE[i % ui.PALETTE.length] })) },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'loans' } } } },
    });
  };
  return { section, load };
}
