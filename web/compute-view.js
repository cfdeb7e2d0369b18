// The view of a compute tape (GPU and compute-equipment lots, docs/compute-tape.md) on the tape
// page: overview, eligibility failures G01-G09, the pool, the K01-K07 tests against their limits,
// the residual-LTV path over time, contract coverage, customer-group and GPU-model concentration,
// and the score factors. Wording comes from the report and GET /v1/tapes/{tapeId}/criteria (codes
// when it has none); nothing of the standard is restated here. `ui` is the page's helpers
// (web/app.js) with the loan view's bullet, labelled, factorValue and download.

/** Marks an element for tests and styles: data-compute="name". */
function marked(el, name) {
  el.setAttribute('data-compute', name);
  return el;
}

/** A limit as a dashed line dataset (one point per label), named in the legend. */
function limitDataset(label, value, count) {
  return { type: 'line', label, data: Array.from({ length: count }, () => value), borderColor: '#1a1f24', backgroundColor: '#1a1f24', borderDash: [6, 4], borderWidth: 2, pointRadius: 0, order: -1 };
}

/** A share text ("0.495050") as a chart number in percent (charts take numbers; tables keep the text). */
const pct = (text) => Number(text) * 100;

/**
 * @param ui the page's helpers: { h, card, table, statList, badge, chartBox, makeChart, money, moneyCell, percent, figure,
 *   roundDecimal, groupThousands, COLORS, PALETTE, bullet, labelled, factorValue, download, enc }
 * @param tapeId the tape; report its report (tape.kind "compute"); currency the deal currency or undefined;
 *   criteria GET /v1/tapes/{tapeId}/criteria or null
 * @returns { cards, draw, criterionLabel }: the cards in page order, draw() to call once they are in
 *   the document (the charts), and the criterion label the lots table uses
 */
export function computeView(ui, { tapeId, report, currency, criteria }) {
  const { h, card, table, statList, badge, chartBox, makeChart, moneyCell, percent, figure, roundDecimal, groupThousands, COLORS, bullet, labelled } = ui;
  const criterionLabel = (id) => criteria?.eligibility?.find((e) => e.id === id)?.label ?? id;
  const v = report.validation;
  const pool = report.pool ?? { lotCount: 0, residualPath: [] };
  const elig = report.eligibility ?? { eligibleCount: 0, ineligibleCount: 0, failuresByCriterion: {} };
  const tests = report.concentrations ?? [];
  const test = (id) => tests.find((t) => t.id === id);
  const draws = [];

  const overview = card('Overview', statList([
    ['Tape kind', 'Compute equipment (GPU lots)'],
    ['Reporting date', report.tape.reportingDate ?? '—'],
    ['Data-quality score', v.dataQualityScore],
    ['Lots (valid / invalid)', `${groupThousands(String(v.validRowCount))} / ${groupThousands(String(v.invalidRowCount))}`],
    ['Eligible lots', `${groupThousands(String(elig.eligibleCount))} of ${groupThousands(String(v.validRowCount))} valid`],
    ['Eligible balance', moneyCell(elig.eligibleBalance, currency)],
    ['Score', report.score ? `${roundDecimal(report.score.points, 1)} · ${report.score.band}` : '—'],
    ['Deal currency', currency ?? '—'],
  ]), h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => ui.download(`/v1/tapes/${ui.enc(tapeId)}/report`, 'application/json', `${tapeId}-report.json`) }, 'Download report (JSON)')));

  // Eligibility failures by criterion
  const failures = Object.entries(elig.failuresByCriterion).sort(([a], [b]) => a.localeCompare(b));
  const eligChart = chartBox(`Lots failing each eligibility criterion: ${failures.map(([k, n]) => `${criterionLabel(k)} (${k}) ${n}`).join(', ')}`);
  const eligCard = marked(card('Eligibility failures by criterion', eligChart.box,
    table(['Criterion', { label: 'Lots failing', num: true }], failures.map(([k, n]) => [labelled(criterionLabel(k), k), groupThousands(String(n))]), 'Eligibility failures')), 'eligibility');
  draws.push(() => makeChart(eligChart.canvas, {
    type: 'bar',
    data: { labels: failures.map(([k]) => k), datasets: [{ label: 'Lots failing', data: failures.map(([, n]) => n), backgroundColor: COLORS.accent }] },
    options: {
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: (items) => items.map((i) => `${criterionLabel(failures[i.dataIndex][0])} (${failures[i.dataIndex][0]})`) } } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'lots' } } },
    },
  }));

  const poolCard = marked(card('Pool (eligible lots)', statList([
    ['Lots', groupThousands(String(pool.lotCount))],
    ['Current balance', moneyCell(pool.currentBalance, currency)],
    ['Residual value now', moneyCell(pool.residualNow, currency)],
    ['PV of contracted revenue', moneyCell(pool.pvContracted, currency)],
  ]), pool.reason ? h('p', { class: 'muted' }, pool.reason) : null), 'pool');

  // K01-K07 against their limits, drawn as the loan tape's tests are
  const topOf = (id) => criteria?.concentrations?.find((c) => c.id === id)?.top;
  const testsCard = marked(card('Pool tests against limits',
    h('p', { class: 'muted' }, 'Each bar is drawn on its own scale; the dashed line is the limit. Green passes, red fails: a maximum must stay left of the line, a minimum reach past it.'),
    table(['Test', 'Against the limit', { label: 'Actual', num: true }, { label: 'Limit', num: true }, { label: 'Headroom', num: true }, 'Result', 'Largest contributors'],
      tests.map((t) => [
        labelled(t.description, t.id), bullet(t), figure(t.actual, t.unit), `${t.limitType === 'max' ? '≤' : '≥'} ${figure(t.limit, t.unit)}`, figure(t.headroom, t.unit),
        h('span', {}, badge(t.pass ? 'pass' : 'fail'), t.reason ? h('div', { class: 'muted' }, t.reason) : null),
        t.top.length === 0 ? '—' : h('div', {}, topOf(t.id) ? h('div', { class: 'muted' }, topOf(t.id)) : null,
          h('ul', { class: 'plain' }, t.top.map((c) => h('li', {}, `${c.key} `, h('span', { class: 'nowrap' }, percent(c.share)))))),
      ]), 'Pool tests')), 'tests');

  const pathCard = residualPathCard(ui, { pool, k06: test('K06'), currency, draws });

  // Contract coverage: the contracts' present value against the debt (K05)
  const k05 = test('K05');
  const coverageCard = marked(card('Contract coverage', k05
    ? [h('p', { class: 'muted' }, 'The present value of the remaining take-or-pay and reserved revenue against the eligible balance: how much of the debt the contracts alone repay.'),
      statList([
        ['Coverage', h('span', { 'data-figure': 'coverage' }, figure(k05.actual, k05.unit))],
        ['Minimum', `${k05.limitType === 'max' ? '≤' : '≥'} ${figure(k05.limit, k05.unit)}`],
        ['Headroom', figure(k05.headroom, k05.unit)],
        ['Result', badge(k05.pass ? 'pass' : 'fail')],
        ['PV of contracted revenue', moneyCell(pool.pvContracted, currency)],
        ['Current balance', moneyCell(pool.currentBalance, currency)],
      ]), bullet(k05), k05.reason ? h('p', { class: 'muted' }, k05.reason) : null]
    : h('p', { class: 'muted' }, 'The deal does not test contract coverage (K05).')), 'coverage');

  const customerCard = concentrationCard(ui, { test: test('K01'), title: 'Customer-group concentration', what: 'Customer group', name: 'customers', draws });
  const modelCard = concentrationCard(ui, { test: test('K03'), title: 'GPU-model concentration', what: 'GPU model', name: 'models', draws });

  const factors = report.score?.factors ?? [];
  const factorLabel = (name) => criteria?.scoreFactors?.find((f) => f.name === name)?.label ?? name;
  const scoreCard = marked(card('Score factors', h('p', {}, report.score ? `${roundDecimal(report.score.points, 1)} points · ${report.score.band} (indicative, not a credit rating)` : 'Not scored.'),
    table(['Factor', { label: 'Value', num: true }, { label: 'Points', num: true }, { label: 'Weight', num: true }],
      factors.map((f) => [labelled(factorLabel(f.name), f.name), ui.factorValue(f), roundDecimal(f.points, 1), percent(f.weight)]), 'Score factors')), 'score');

  return {
    cards: [overview, h('div', { class: 'grid' }, eligCard, poolCard), testsCard, pathCard,
      h('div', { class: 'grid' }, coverageCard, scoreCard), h('div', { class: 'grid' }, customerCard, modelCard)],
    draw() { for (const d of draws) d(); },
    criterionLabel,
  };
}

/** The residual LTV at each date of the path as a line, the K06 limit dashed, the worst point marked; the same as a table. */
function residualPathCard(ui, { pool, k06, currency, draws }) {
  const { h, card, table, chartBox, makeChart, moneyCell, percent, badge, COLORS } = ui;
  const path = pool.residualPath ?? [];
  // K06 names the worst date; without K06 (switched off) it is the highest LTV, the earliest on a tie.
  let worst = k06 ? path.find((p) => p.date === k06.worstDate) : undefined;
  if (!k06) for (const p of path) if (p.ltv !== null && (!worst || Number(p.ltv) > Number(worst.ltv))) worst = p;
  const worstDate = worst?.date;
  const intro = h('p', { class: 'muted' }, 'The debt amortised in a straight line to each lot\'s maturity, against the hardware\'s value on the residual curve: at the reporting date and each 31 December until the latest maturity, counting only the lots still outstanding.');
  if (path.length === 0) {
    return marked(card('Residual LTV over time', intro, h('p', { class: 'muted' }, k06?.reason ?? pool.reason ?? 'No eligible lot matures after the reporting date.')), 'path');
  }
  const limitText = k06 ? `; K06 limit ${percent(k06.limit)}` : '';
  const chart = chartBox(`Residual LTV by date: ${path.map((p) => `${p.date} ${percent(p.ltv)}`).join(', ')}${limitText}${worst ? `; worst ${percent(worst.ltv)} on ${worst.date}` : ''}`, true);
  const summary = worst
    ? h('p', { 'data-figure': 'worst' }, `Worst point: ${percent(worst.ltv)} on ${worst.date}`,
      k06 ? [` against a maximum of ${percent(k06.limit)} `, badge(k06.pass ? 'pass' : 'fail')] : null)
    : h('p', { class: 'muted' }, k06?.reason ?? 'No date has a residual value.');
  const rows = path.map((p) => [
    p.date === worstDate ? h('strong', {}, p.date, ' (worst)') : p.date,
    moneyCell(p.balance, currency), moneyCell(p.residual, currency), p.ltv === null ? '— (no residual value)' : percent(p.ltv),
  ]);
  draws.push(() => makeChart(chart.canvas, {
    type: 'line',
    data: {
      labels: path.map((p) => p.date),
      datasets: [
        { label: 'Residual LTV', data: path.map((p) => (p.ltv === null ? null : pct(p.ltv))), borderColor: COLORS.accent, backgroundColor: COLORS.accent, tension: 0 },
        ...(k06 ? [limitDataset(`K06 limit (${percent(k06.limit)})`, pct(k06.limit), path.length)] : []),
        ...(worst ? [{
          label: `Worst point (${worst.date})`, data: path.map((p) => (p.date === worstDate ? pct(p.ltv) : null)), showLine: false,
          pointStyle: 'rectRot', pointRadius: 9, pointHoverRadius: 10, borderColor: k06 && !k06.pass ? COLORS.fail : COLORS.pass, backgroundColor: k06 && !k06.pass ? COLORS.fail : COLORS.pass,
        }] : []),
      ],
    },
    options: { scales: { y: { beginAtZero: true, suggestedMax: k06 ? pct(k06.limit) * 1.15 : undefined, title: { display: true, text: 'balance / residual value (%)' } } } },
  }));
  return marked(card('Residual LTV over time', intro, summary, chart.box,
    table(['Date', { label: 'Balance outstanding', num: true }, { label: 'Residual value', num: true }, { label: 'LTV', num: true }], rows, 'Residual LTV by date')), 'path');
}

/** A test's largest contributors (K01 customer groups, K03 GPU models) as bars against the test's limit, and a table. */
function concentrationCard(ui, { test, title, what, name, draws }) {
  const { h, card, table, chartBox, makeChart, percent, figure, COLORS } = ui;
  if (!test) return marked(card(title, h('p', { class: 'muted' }, 'The deal does not test this concentration.')), name);
  const top = test.top;
  const text = `${test.description} (${test.id}): ${figure(test.actual, test.unit)} against a maximum of ${figure(test.limit, test.unit)}`;
  const chart = chartBox(`${title}, share of eligible balance: ${top.map((c) => `${c.key} ${percent(c.share)}`).join(', ')}; limit ${percent(test.limit)}`);
  draws.push(() => top.length > 0 && makeChart(chart.canvas, {
    type: 'bar',
    data: {
      labels: top.map((c) => c.key),
      datasets: [
        { label: 'Share of eligible balance (%)', data: top.map((c) => pct(c.share)), backgroundColor: top.map((c) => (Number(c.share) > Number(test.limit) ? COLORS.fail : COLORS.accent)) },
        limitDataset(`${test.id} limit (${percent(test.limit)})`, pct(test.limit), top.length),
      ],
    },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, suggestedMax: pct(test.limit) * 1.2, title: { display: true, text: '% of eligible balance' } } } },
  }));
  return marked(card(title, h('p', { class: 'muted' }, text, test.top.length === 5 ? '; the five largest shown.' : '.'),
    top.length === 0 ? h('p', { class: 'muted' }, test.reason ?? 'No eligible lots.') : chart.box,
    table([what, { label: 'Share of eligible balance', num: true }], top.map((c) => [c.key, percent(c.share)]), title)), name);
}
