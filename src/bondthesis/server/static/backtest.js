// The backtest builder: run /api/backtest with the form's inputs, show its metrics and charts.
"use strict";

(function backtestPage() {
  const form = document.getElementById("backtest-form");
  const errorBox = document.getElementById("backtest-error");

  function params() {
    const p = bt.formParams(form);
    if (p.preset) delete p.weights; else delete p.preset;
    return p;
  }

  function render(doc) {
    const m = doc.metrics;
    const mix = Object.entries(doc.portfolio).map(([t, w]) => `${t} ${bt.pct(w, 0, false)}`).join(", ");
    document.getElementById("backtest-header").textContent =
      (doc.preset ? `preset ${doc.preset}: ` : "") + `${mix}; rebalance ${doc.rebalance}, costs ${doc.cost_bps} bp; ` +
      `${m.start} to ${m.end} (${m.years.toFixed(1)} years); ${bt.pct(doc.simulated_share, 0, false)} of the days hold simulated history.`;
    const recovery = m.max_drawdown_recovery ? `recovered ${m.max_drawdown_recovery}` : "not recovered";
    const rows = [
      ["CAGR", bt.pct(m.cagr)], ["total return", bt.pct(m.total_return)], ["volatility", bt.pct(m.volatility, 2, false)],
      ["Sharpe (vs bills)", m.sharpe === null ? "n/a" : m.sharpe.toFixed(2)], ["Sortino (vs bills)", m.sortino === null ? "n/a" : m.sortino.toFixed(2)],
      ["max drawdown", `${bt.pct(m.max_drawdown)} (${m.max_drawdown_peak} → ${m.max_drawdown_trough}, ${recovery})`],
      ["Calmar", m.calmar === null ? "n/a" : m.calmar.toFixed(2)], ["Ulcer index", m.ulcer_index === null ? "n/a" : m.ulcer_index.toFixed(3)],
      ["worst year", `${m.worst_year} ${bt.pct(m.worst_year_return)}${m.worst_year_partial ? " (partial)" : ""}`],
      ["longest under water", `${m.longest_under_water_days} days from ${m.longest_under_water_start}${m.longest_under_water_recovered ? "" : " (not recovered)"}`],
      ["turnover a year", `${doc.turnover_per_year.toFixed(2)} (${doc.n_rebalances} rebalances)`],
    ];
    bt.fillRows(document.querySelector("#backtest-metrics tbody"), rows.map(([a, b]) => [bt.textCell(a), bt.textCell(b)]));
    bt.fillRows(document.querySelector("#backtest-drawdowns tbody"), doc.drawdowns.map((d) => [
      bt.textCell(d.peak), bt.textCell(d.trough), bt.textCell(d.recovery || "not recovered"), bt.cell(d.depth, 1), bt.textCell(String(d.days_under_water)),
    ]));
    const years = doc.annual.map((a) => `${a.year}${a.simulated ? "*" : ""}${a.partial ? "~" : ""}`);
    Plotly.react("backtest-chart", [{
      type: "bar", x: years, y: doc.annual.map((a) => a.value),
      marker: { color: doc.annual.map((a) => (a.simulated ? "#9db4d3" : a.value >= 0 ? "#17803d" : "#b3261e")) },
      hovertemplate: "%{x}: %{y:.1%}<extra></extra>",
    }], {
      title: { text: "Calendar-year returns (* simulated history, ~ partial year)", font: { size: 14 } },
      yaxis: { tickformat: ".0%" }, margin: { t: 40, r: 10, b: 60, l: 55 },
    }, { displaylogo: false, responsive: true });
    const notes = document.getElementById("backtest-notes");
    notes.replaceChildren(...[...doc.assets.map((a) => `${a.ticker}: ${a.source}${a.simulated_until ? "; simulated until " + a.simulated_until : ""}`), ...doc.notes]
      .map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
  }

  async function run(event) {
    if (event) event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      render(await bt.getJSON("/api/backtest", params()));
      bt.showError(errorBox, null);
      document.body.dataset.backtestRuns = String(Number(document.body.dataset.backtestRuns || 0) + 1);
    } catch (error) {
      bt.showError(errorBox, error);
    } finally {
      button.disabled = false;
    }
  }
  form.addEventListener("submit", run);
})();
