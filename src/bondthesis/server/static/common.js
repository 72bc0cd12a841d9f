// Shared helpers of the pages: fetch the API, show decimals as percentages, the refresh button.
// Nothing here computes a result; the numbers come from the server's JSON as they are.
"use strict";

const bt = {
  pct(value, digits = 2, sign = true) {
    if (value === null || value === undefined) return "n/a";
    const text = (value * 100).toFixed(digits) + "%";
    return sign && value > 0 ? "+" + text : text;
  },
  cls(value) {
    if (value === null || value === undefined) return "";
    return value > 0 ? "pos" : value < 0 ? "neg" : "";
  },
  cell(value, digits = 2) {
    const td = document.createElement("td");
    td.textContent = bt.pct(value, digits);
    const c = bt.cls(value);
    if (c) td.className = c;
    return td;
  },
  textCell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  },
  fillRows(tbody, rows) {
    tbody.replaceChildren(...rows.map((cells) => {
      const tr = document.createElement("tr");
      tr.append(...cells);
      return tr;
    }));
  },
  // GET an API route; resolve to the document, or reject with the server's one-line message.
  async getJSON(path, params, signal) {
    const query = params ? "?" + new URLSearchParams(params).toString() : "";
    const response = await fetch(path + query, { signal, headers: { Accept: "application/json" } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || response.status + " " + response.statusText);
    return body;
  },
  showError(element, error) {
    if (!element) return;
    if (error) {
      element.textContent = error.message || String(error);
      element.hidden = false;
    } else {
      element.textContent = "";
      element.hidden = true;
    }
  },
  formParams(form) {
    const params = {};
    for (const [key, value] of new FormData(form).entries()) {
      if (String(value).trim() !== "") params[key] = String(value).trim();
    }
    return params;
  },
};

(function refreshButton() {
  const button = document.getElementById("refresh-button");
  const progress = document.getElementById("refresh-progress");
  if (!button || !progress) return;
  function show(state) {
    if (state.state === "running") {
      progress.textContent = `refreshing: ${state.done} of ${state.total}` + (state.current ? ` (${state.current})` : "");
    } else if (state.state === "done") {
      progress.textContent = `refreshed ${state.finished ? state.finished.slice(0, 19).replace("T", " ") + " UTC" : ""}` + (state.failed ? `, ${state.failed} failed` : "") + "; reload to see the new dates";
    } else if (state.state === "failed") {
      progress.textContent = "refresh failed: " + state.error;
    } else {
      progress.textContent = "";
    }
    button.disabled = state.state === "running";
  }
  async function poll() {
    try {
      const state = await bt.getJSON("/api/refresh");
      show(state);
      if (state.state === "running") setTimeout(poll, 1000);
    } catch (error) {
      progress.textContent = error.message;
    }
  }
  button.addEventListener("click", async () => {
    try {
      const response = await fetch("/api/refresh", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      show(body);
      setTimeout(poll, 500);
    } catch (error) {
      progress.textContent = error.message;
    }
  });
  poll();
})();
