// The Monte Carlo page: run /api/montecarlo with the form's inputs, show its quantiles.
"use strict";

(function montecarloPage() {
  const form = document.getElementById("montecarlo-form");
  const errorBox = document.getElementById("montecarlo-error");
  const levels = ["p05", "p25", "p50", "p75", "p95"];

  function render(doc) {
    const y = doc.terminal_yield_quantiles;
    document.getElementById("montecarlo-header").textContent =
      `${doc.paths.toLocaleString()} paths × ${doc.days} days, model ${doc.model}, seed ${doc.seed}; ` +
      `30y yield at the end: p5 ${bt.pct(y.p05, 2, false)}, median ${bt.pct(y.p50, 2, false)}, p95 ${bt.pct(y.p95, 2, false)} (from ${bt.pct(doc.start_yield, 2, false)})` +
      (doc.bootstrap_period ? `; bootstrap of ${doc.bootstrap_period.join("–")}` : "") + ". Simulated, not history.";
    const names = Object.keys(doc.outcomes);
    bt.fillRows(document.querySelector("#montecarlo-table tbody"), names.map((name) => {
      const o = doc.outcomes[name];
      return [bt.textCell(name), ...levels.map((l) => bt.cell(o.return_quantiles[l], 1)), bt.cell(o.mean_return, 1),
        bt.textCell(bt.pct(o.probability_of_loss, 1, false)), bt.cell(o.expected_shortfall_5pct, 1), bt.cell(o.max_drawdown_median, 1)];
    }));
    // A box per instrument drawn from the quantiles the server returned (p5/p25/p50/p75/p95).
    const traces = names.map((name) => {
      const q = doc.outcomes[name].return_quantiles;
      return { type: "box", name, q1: [q.p25], median: [q.p50], q3: [q.p75], lowerfence: [q.p05], upperfence: [q.p95], x: [name] };
    });
    Plotly.react("montecarlo-chart", traces, {
      title: { text: "Return over the horizon: p5, p25, median, p75, p95", font: { size: 14 } },
      yaxis: { tickformat: ".0%" }, showlegend: false, margin: { t: 40, r: 10, b: 40, l: 55 },
    }, { displaylogo: false, responsive: true });
  }

  async function run(event) {
    if (event) event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      render(await bt.getJSON("/api/montecarlo", bt.formParams(form)));
      bt.showError(errorBox, null);
      document.body.dataset.montecarloRuns = String(Number(document.body.dataset.montecarloRuns || 0) + 1);
    } catch (error) {
      bt.showError(errorBox, error);
    } finally {
      button.disabled = false;
    }
  }
  form.addEventListener("submit", run);
  run();
})();
