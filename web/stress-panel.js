// The stress panel of a scored tape (the report's `stress` section): the issuer's figures beside
// the stressed ones, credit enhancement by rating level as a chart and a table, the deal's
// tranches with their implied ratings, and a what-if form (NCF haircut and cap rate) that asks
// POST /v1/tapes/{tapeId}/stress for the section under those values and redraws in place.
// The page's helpers come in `ui` (app.js), so this module builds the DOM the same way.

/** "8.5" (percent, as typed) -> "0.085", by moving the decimal point in the text (no float rounding); null when not a number. */
export function percentToFraction(text) {
  const m = /^\s*(\d*)(?:\.(\d*))?\s*$/.exec(String(text));
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const whole = m[1].padStart(3, '0');
  const int = whole.slice(0, -2).replace(/^0+(?=\d)/, '');
  const frac = `${whole.slice(-2)}${m[2] ?? ''}`.replace(/0+$/, '');
  return `${int}${frac ? `.${frac}` : ''}`;
}

/** Marks an element for tests and styles: data-stress="name". */
function withData(el, name) {
  el.setAttribute('data-stress', name);
  return el;
}

/**
 * @param ui the page's helpers: { h, api, card, table, statList, money, percent, figure, chartBox, makeChart, announce }
 * @param tape the tape (GET /v1/tapes/{tapeId}); report its dmbs-report/1; currency the deal currency or undefined
 * @returns { section, draw }: the card to place, and draw() to call once it is in the document (the chart)
 */
export function stressPanel(ui, { tape, report, currency }) {
  const { h, api, card, table, statList, money, percent, figure, chartBox, makeChart, announce } = ui;
  const enc = encodeURIComponent;
  if (!report.stress) return { section: null, draw() {} };
  let chart = null;
  const results = h('div', { id: 'stress-figures' });
  const tranchesBox = h('div', { id: 'stress-tranches' });
  const shown = h('p', { id: 'stress-shown', class: 'muted' });
  const ce = chartBox('Credit enhancement each rating level needs, in percent of the eligible balance');

  const render = (stress, label) => {
    const p = stress.pool;
    const pool = report.pool ?? {};
    shown.textContent = label;
    const empty = p.stressedNcf === null;
    results.replaceChildren(
      empty ? h('p', { class: 'muted' }, 'No eligible loans: nothing to stress.') : table(
        ['Figure', { label: 'Issuer', num: true }, { label: 'Stressed', num: true }, { label: 'Haircut', num: true }],
        [
          ['Net cash flow', money(p.underwrittenNcf, currency), h('span', { 'data-figure': 'stressedNcf' }, money(p.stressedNcf, currency)), percent(p.ncfHaircut)],
          ['Value', money(p.appraisedValue, currency), h('span', { 'data-figure': 'stressedValue' }, money(p.stressedValue, currency)), percent(p.valueHaircutToAppraisal)],
          ['LTV', `${figure(pool.waLtv, 'fraction')} (WA)`, h('span', { 'data-figure': 'stressedLtv' }, figure(p.stressedLtv, 'fraction')), ''],
          ['DSCR', `${figure(pool.waDscr, 'ratio')} (WA)`, figure(p.stressedDscr, 'ratio'), ''],
          ['Debt yield', '—', figure(p.stressedDebtYield, 'fraction'), ''],
        ], 'Issuer and stressed figures'),
      h('h3', {}, 'Credit enhancement by rating level'),
      table(['Rating level', { label: 'Max stressed LTV', num: true }, { label: 'Max balance', num: true }, { label: 'Credit enhancement', num: true }],
        stress.creditEnhancement.map((l) => [l.rating, percent(l.maxStressedLtv), money(l.maxBalance, currency), percent(l.creditEnhancement)]), 'Credit enhancement by rating level'));
    tranchesBox.replaceChildren(
      h('h3', {}, 'Tranches'),
      stress.tranches.length === 0
        ? h('p', { class: 'muted' }, 'The deal gives no tranches (a stress file with tranches adds them).')
        : withData(table(['Tranche', { label: 'Share', num: true }, { label: 'Attachment', num: true }, { label: 'Detachment', num: true }, { label: 'Cumulative stressed LTV', num: true }, 'Implied rating'],
          stress.tranches.map((t) => [t.name, percent(t.share), percent(t.attachment), percent(t.detachment), figure(t.cumulativeStressedLtv, 'fraction'), t.impliedRating]), 'Tranches'), 'tranches'));
    const data = stress.creditEnhancement.map((l) => (l.creditEnhancement === null ? 0 : Number(l.creditEnhancement) * 100));
    if (chart) {
      chart.data.labels = stress.creditEnhancement.map((l) => l.rating);
      chart.data.datasets[0].data = data;
      chart.update();
    }
    ce.canvas.setAttribute('aria-label', `Credit enhancement by rating level: ${stress.creditEnhancement.map((l) => `${l.rating} ${percent(l.creditEnhancement)}`).join(', ')}`);
    return data;
  };

  const haircut = h('input', { id: 'stress-haircut', type: 'text', inputmode: 'decimal', size: 6, placeholder: 'as the model', 'aria-describedby': 'stress-hint' });
  const capRate = h('input', { id: 'stress-cap-rate', type: 'text', inputmode: 'decimal', size: 6, placeholder: 'as the model', 'aria-describedby': 'stress-hint' });
  const status = h('p', { class: 'muted', role: 'status' });
  const tapeLabel = `The tape's stress model (${report.stress.model.id} ${report.stress.model.version}).`;
  const submit = async (event) => {
    event.preventDefault();
    const body = {};
    for (const [input, name, path] of [[haircut, 'NCF haircut', 'ncfHaircut'], [capRate, 'cap rate', 'capRate']]) {
      if (input.value.trim() === '') continue;
      const fraction = percentToFraction(input.value);
      if (fraction === null) {
        status.textContent = `The ${name} must be a percentage such as 8.5.`;
        input.focus();
        return;
      }
      body[path] = { base: Number(fraction) };
    }
    status.textContent = 'Recomputing…';
    try {
      const stress = await api(`/v1/tapes/${enc(tape.tapeId)}/stress`, { method: 'POST', body });
      const parts = [body.ncfHaircut ? `NCF haircut base ${haircut.value.trim()} %` : null, body.capRate ? `cap rate base ${capRate.value.trim()} %` : null].filter(Boolean);
      render(stress, parts.length ? `What-if: ${parts.join(', ')}; the rest as the tape's model. Not stored.` : tapeLabel);
      status.textContent = '';
      announce('Stressed figures recomputed');
    } catch (err) {
      status.textContent = err.message;
    }
  };
  const reset = () => {
    haircut.value = '';
    capRate.value = '';
    status.textContent = '';
    render(report.stress, tapeLabel);
  };
  const form = h('form', { class: 'what-if', onsubmit: submit },
    h('label', { for: 'stress-haircut' }, 'NCF haircut base (%)'), ' ', haircut, ' ',
    h('label', { for: 'stress-cap-rate' }, 'Cap rate base (%)'), ' ', capRate, ' ',
    h('button', { type: 'submit' }, 'Recompute'), ' ',
    h('button', { type: 'button', class: 'secondary', onclick: reset }, 'Back to the tape\'s model'),
    h('p', { id: 'stress-hint', class: 'muted' }, 'Leave a field empty to keep the model\'s value. Loan-level adds (tenant rating, early termination, construction) and market add-ons stay as the model sets them.'),
    status);

  const initial = render(report.stress, tapeLabel);
  const section = card('Stressed value and credit enhancement',
    h('p', {}, 'An agency-style lens in the open: the issuer\'s net cash flow is cut, capitalised at a stressed cap rate, and each rating level may carry the eligible balance up to its maximum stressed LTV. ',
      h('strong', {}, 'Stressed credit enhancement and the indicative score are different figures, and neither is a credit rating.')),
    shown, results, ce.box, tranchesBox, h('h3', {}, 'What-if'), form);
  return {
    section,
    draw() {
      chart = makeChart(ce.canvas, {
        type: 'bar',
        data: { labels: report.stress.creditEnhancement.map((l) => l.rating), datasets: [{ label: 'Credit enhancement (%)', data: initial, backgroundColor: '#1f4e79' }] },
        options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, suggestedMax: 50, title: { display: true, text: '% of the eligible balance' } } } },
      }) ?? null;
    },
  };
}
