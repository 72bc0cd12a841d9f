// The scenario explorer: every slider move asks /api/scenario and redraws from its document.
"use strict";

(function scenarioPage() {
  const form = document.getElementById("scenario-form");
  const errorBox = document.getElementById("scenario-error");
  const chart = document.getElementById("scenario-chart");
  const weightNames = ["tlt", "tmf", "stocks"];
  let pending = null;
  let timer = null;

  function showOutputs() {
    for (const input of form.querySelectorAll("input[type=range]")) {
      const out = document.getElementById(input.id + "-out");
      if (!out) continue;
      const asPercent = ["tlt", "tmf", "stocks", "cash", "stocks_return"].includes(input.id);
      out.textContent = asPercent ? bt.pct(Number(input.value), 0, input.id === "stocks_return") : input.value;
    }
  }

  // Cash takes up what the other three leave (an input, not a result): rounded to the slider's
  // step so the four still sum to one; the server refuses a mix that does not.
  function balanceCash(changed) {
    if (!weightNames.includes(changed)) return;
    const cash = form.elements.cash;
    const others = weightNames.reduce((sum, name) => sum + Number(form.elements[name].value), 0);
    const rest = Math.round((1 - others) * 100) / 100;
    if (rest >= 0) cash.value = String(rest);
  }

  function render(doc, elapsedMs) {
    document.getElementById("scenario-header").textContent =
      `curve of ${doc.as_of}: 10y ${bt.pct(doc.curve["10y"], 2, false)}, 20y ${bt.pct(doc.curve["20y"], 2, false)}, 30y ${bt.pct(doc.curve["30y"], 2, false)}; ` +
      `cash ${bt.pct(doc.cash_rate, 2, false)}; ladder yield ${bt.pct(doc.yield, 2, false)}, duration ${doc.duration.toFixed(2)} years, convexity ${doc.convexity.toFixed(0)}. ` +
      doc.ladder + (doc.note ? ". Note: " + doc.note : "");
    bt.fillRows(document.querySelector("#scenario-rows tbody"), doc.rows.map((r) => [
      bt.textCell(r.instrument), bt.cell(r.price_return), bt.cell(r.income), bt.cell(r.total_return),
    ]));
    const d = doc.ladder_decomposition;
    bt.fillRows(document.querySelector("#scenario-decomposition tbody"), [[
      bt.cell(d.income), bt.cell(d.pull_to_par), bt.cell(d.roll_down), bt.cell(d.duration),
      bt.cell(d.convexity), bt.cell(d.residual, 3), bt.cell(d.total),
    ]]);
    bt.fillRows(document.querySelector("#scenario-paths tbody"), doc.tmf_path_dependence.map((p) => [
      bt.textCell(p.daily_vol_bp + " bp"), bt.textCell(bt.pct(p.index_volatility, 1, false)),
      bt.cell(p.tlt_total_return), bt.cell(p.tmf_total_return),
    ]));
    const names = doc.rows.map((r) => r.instrument);
    const traces = [
      { type: "bar", name: "price return", x: names, y: doc.rows.map((r) => r.price_return) },
      { type: "bar", name: "income", x: names, y: doc.rows.map((r) => r.income) },
      { type: "scatter", mode: "markers", name: "total return", x: names, y: doc.rows.map((r) => r.total_return),
        marker: { size: 14, symbol: "diamond", color: "#1d232b" } },
    ];
    const title = `${doc.shift_bp > 0 ? "+" : ""}${doc.shift_bp}bp shift, ${doc.twist_bp}bp twist over ${doc.horizon_months} months` +
      (doc.daily_noise_bp ? `, ${doc.daily_noise_bp}bp daily noise` : "");
    Plotly.react(chart, traces, {
      title: { text: title, font: { size: 14 } }, barmode: "relative", yaxis: { tickformat: ".0%", zeroline: true },
      margin: { t: 40, r: 10, b: 40, l: 55 }, legend: { orientation: "h" },
    }, { displaylogo: false, responsive: true });
    document.getElementById("scenario-elapsed").textContent = `answered in ${elapsedMs.toFixed(0)} ms`;
  }

  async function update() {
    if (pending) pending.abort();
    pending = new AbortController();
    const started = performance.now();
    try {
      const doc = await bt.getJSON("/api/scenario", bt.formParams(form), pending.signal);
      bt.showError(errorBox, null);
      render(doc, performance.now() - started);
      document.body.dataset.scenarioUpdates = String(Number(document.body.dataset.scenarioUpdates || 0) + 1);
    } catch (error) {
      if (error.name !== "AbortError") bt.showError(errorBox, error);
    }
  }

  form.addEventListener("input", (event) => {
    balanceCash(event.target.id);
    showOutputs();
    clearTimeout(timer);
    timer = setTimeout(update, 60);
  });
  showOutputs();
  update();
})();
