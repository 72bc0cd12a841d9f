// The backtest builder: run /api/backtest with the form's inputs, show its metrics and chart.
"use strict";

(function backtestPage() {
  const form = document.getElementById("backtest-form");
  const errorBox = document.getElementById("backtest-error");
  async function run(event) {
    if (event) event.preventDefault();
    try {
      const doc = await bt.getJSON("/api/backtest", bt.formParams(form));
      bt.showError(errorBox, null);
      document.getElementById("backtest-metrics").textContent = JSON.stringify(doc.metrics || doc, null, 2);
    } catch (error) {
      bt.showError(errorBox, error);
    }
  }
  form.addEventListener("submit", run);
})();
