// The live monitor and the projector: poll a URL and swap the changing part of the page in place.
// The URL answers a fragment, or (data-live-select) a whole page whose element with the same id is taken.
// The monitor names what it already shows (the X-Monitor-Cursor of its last answer, as ?since=) and gets only
// what changed (X-Monitor-Patch: 1): parts with an id replace the element with that id, and the rows in
// <template id="part-rows"> replace the rows with their ids.
// Without JavaScript the page's <noscript> refresh reloads it instead, more slowly.
(function () {
  var box = document.querySelector("[data-live-url]");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-live-url");
  var delay = 1000 * (parseInt(box.getAttribute("data-poll-seconds"), 10) || 4), failures = 0;
  var status = document.getElementById(box.getAttribute("data-status-id") || "monitor-status");
  var select = box.hasAttribute("data-live-select"), last = null;
  var cursor = box.getAttribute("data-cursor") || "";

  function keepFocus(change) {
    // Keep the keyboard where it was, and what the facilitator opened: controls and <details> have stable ids.
    var focused = document.activeElement && box.contains(document.activeElement) ? document.activeElement.id : "";
    var opened = Array.prototype.map.call(box.querySelectorAll("details[id][open]"), function (d) { return d.id; });
    change();
    opened.forEach(function (id) {
      var again = document.getElementById(id);
      if (again) again.open = true;
    });
    if (focused) {
      var again = document.getElementById(focused);
      if (again) again.focus();
    }
  }

  function patch(text) {
    var doc = new DOMParser().parseFromString(text, "text/html");
    keepFocus(function () {
      Array.prototype.forEach.call(doc.body.children, function (part) {
        if (part.id === "part-rows") {
          Array.prototype.forEach.call(part.content.querySelectorAll("tr[id]"), function (row) {
            var old = document.getElementById(row.id);
            if (old) old.replaceWith(document.importNode(row, true));
          });
          return;
        }
        var old = part.id && document.getElementById(part.id);
        if (old) old.replaceWith(document.importNode(part, true));
      });
    });
  }

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
    var asked = cursor ? url + (url.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(cursor) : url;
    fetch(asked, { headers: { "Accept": "text/html" }, cache: "no-store", credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text().then(function (text) {
          return { text: text, patch: r.headers.get("X-Monitor-Patch") === "1", cursor: r.headers.get("X-Monitor-Cursor") };
        });
      })
      .then(function (answer) {
        if (failures && status) status.textContent = status.getAttribute("data-live-label");
        failures = 0;
        if (answer.patch) { patch(answer.text); last = null; } else swap(answer.text);
        cursor = answer.cursor || "";
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
