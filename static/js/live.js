// Progressive enhancement: where JavaScript runs, poll a status URL and reload when the state changes.
// Without JavaScript the page's <noscript> refresh does the same job, more slowly.
// It asks 0.5 s after the page loads, then 1 s and 1.5 s later (a nearly written analogy shows at once), then
// every 3 s: a room of 2,000 waiting phones sends about 670 requests a second (docs/benchmarks.md, issue 15).
(function () {
  var el = document.querySelector("[data-status-url]");
  if (!el || !window.fetch) return;
  var url = el.getAttribute("data-status-url");
  var initial = el.getAttribute("data-state");
  var label = el.querySelector("[data-status-label]");
  var delays = [500, 1000, 1500], delay = 3000, failures = 0, asked = 0;
  function next() { return asked < delays.length ? delays[asked++] : delay; }
  function tick() {
    fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        failures = 0;
        if (label && data.label) label.textContent = data.label;
        if (data.state !== initial) { window.location.reload(); return; }
        setTimeout(tick, next());
      })
      .catch(function () {
        failures += 1;  // flaky Wi-Fi: back off, keep trying, never give up silently
        if (label) label.textContent = el.getAttribute("data-reconnecting") || "Reconnecting…";
        setTimeout(tick, Math.min(15000, delay * Math.pow(2, failures)));
      });
  }
  setTimeout(tick, next());
})();
