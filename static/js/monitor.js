// The live monitor and the projector: poll a URL and swap the changing part of the page in place.
// The URL answers a fragment, or (data-live-select) a whole page whose element with the same id is taken.
// Without JavaScript the page's <noscript> refresh reloads it instead, more slowly.
(function () {
  var box = document.querySelector("[data-live-url]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-live-url");
  var delay = 1000 * (parseInt(box.getAttribute("data-poll-seconds"), 10) || 4), failures = 0;
  var status = document.getElementById(box.getAttribute("data-status-id") || "monitor-status");
  var select = box.hasAttribute("data-live-select"), last = null;

  function swap(text) {
    if (text === last) return;
    last = text;
    var html = text;
    if (select) {
      var doc = new DOMParser().parseFromString(text, "text/html"), part = doc.getElementById(box.id);
      if (!part) return;
      html = part.innerHTML;
      document.body.className = doc.body.className;
    }
    // Keep the keyboard where it was: controls have stable ids, so focus moves to the new copy.
    var focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.id : "";
    // And keep open what the facilitator opened (a <details> with an id stays open in the new copy).
    var opened = Array.prototype.map.call(box.querySelectorAll("details[id][open]"), function (d) { return d.id; });
    box.innerHTML = html;
    opened.forEach(function (id) {
      var again = document.getElementById(id);
      if (again) again.open = true;
    });
    if (focused) {
      var again = document.getElementById(focused);
      if (again) again.focus();
    }
  }

  function tick() {
    if (document.hidden) { setTimeout(tick, delay); return; }
    fetch(url, { headers: { "Accept": "text/html" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        if (failures && status) status.textContent = status.getAttribute("data-live-label");
        failures = 0;
        swap(html);
        setTimeout(tick, delay);
      })
      .catch(function () {
        failures += 1;  // flaky Wi-Fi: back off, keep trying, say so
        if (status) status.textContent = status.getAttribute("data-reconnecting");
        setTimeout(tick, Math.min(30000, delay * Math.pow(2, failures)));
      });
  }

  setTimeout(tick, delay);
})();
