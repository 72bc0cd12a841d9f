// The report page's scorecard, from /api/scorecard.
"use strict";

// A reading as the CLI shows it: decimals as percentages, anything else with its unit.
function showValue(p) {
  if (p.value === null || p.value === undefined) return "n/a";
  if (typeof p.value !== "number") return String(p.value);
  const unit = String(p.unit || "");
  if (unit.startsWith("decimal")) return bt.pct(p.value);
  const shown = Math.abs(p.value) >= 1000 ? Math.round(p.value).toLocaleString("en-US") : p.value.toPrecision(3);
  return unit ? `${shown} ${unit}` : shown;
}

(async function reportPage() {
  const composite = document.getElementById("scorecard-composite");
  try {
    const doc = await bt.getJSON("/api/scorecard");
    document.getElementById("scorecard-as-of").textContent = "as of " + doc.as_of;
    const c = doc.composite;
    composite.textContent = `composite: ${c.verdict}` + (c.weighted_vote === null ? "" : ` (skill-weighted vote ${c.weighted_vote.toFixed(2)})`) + `. ${c.rule}`;
    composite.classList.remove("muted");
    bt.fillRows(document.querySelector("#scorecard-table tbody"), doc.pillars.map((p) => {
      const verdict = bt.textCell(p.verdict);
      verdict.className = "verdict-" + String(p.verdict).replace(/\s+/g, "-").toLowerCase();
      return [bt.textCell(p.name.replaceAll("_", " ")), verdict, bt.textCell(showValue(p)), bt.textCell(p.reading_date || "n/a"),
        bt.textCell(p.percentile === null ? "n/a" : p.percentile.toFixed(0)), bt.textCell(bt.pct(p.weight, 0, false))];
    }));
    document.getElementById("scorecard-notes").textContent = doc.notes.join(" ");
  } catch (error) {
    composite.textContent = "scorecard unavailable: " + error.message;
    composite.className = "error";
  }
})();
