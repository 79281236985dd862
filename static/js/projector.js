// The projector: pages that fit the screen, and keys for the facilitator.
// - A [data-pager] list (the wall's cards, the room's results) is cut into pages that fit the window, shown in
//   turn every data-pager-seconds; "2 / 3" says where it is. Without JavaScript the page scrolls instead, so
//   nothing is ever cut off.
// - monitor.js swaps the live part when the server says something changed: the pages are cut again, and the
//   page shown stays the same where it still exists.
// - Keys (a presenter's clicker sends PageDown / arrow keys): J, A, R, W choose what the projector shows; N,
//   PageDown or the right arrow move a presenter-paced room on. Each presses the button of the controls form.
(function () {
  var live = document.getElementById("projector-live");
  if (!live) return;
  var page = 0, timer = null;

  function items(pager) {
    return Array.prototype.filter.call(pager.children, function (el) { return !el.hasAttribute("data-pager-status"); });
  }

  function cut(pager) {
    // Rows of a grid share a top edge: a page starts at a row whose bottom would pass the window's.
    var all = items(pager);
    all.forEach(function (el) { el.hidden = false; });
    var room = window.innerHeight - pager.getBoundingClientRect().top - 0.06 * window.innerHeight;
    var pages = [], start = 0, top = null;
    all.forEach(function (el, i) {
      var box = el.getBoundingClientRect();
      if (top === null) top = box.top;
      if (i > start && box.bottom - top > room && box.top > top) {
        pages.push([start, i]);
        start = i;
        top = box.top;
      }
    });
    pages.push([start, all.length]);
    return pages;
  }

  function show(pager, pages) {
    var all = items(pager), status = pager.parentNode.querySelector("[data-pager-status]");
    if (page >= pages.length) page = 0;
    all.forEach(function (el, i) { el.hidden = i < pages[page][0] || i >= pages[page][1]; });
    if (status) status.textContent = pages.length > 1 ? (page + 1) + " / " + pages.length : "";
  }

  function start() {
    if (timer) { clearTimeout(timer); timer = null; }
    var pager = live.querySelector("[data-pager]");
    if (!pager) { page = 0; return; }
    document.body.classList.add("paged");
    var pages = cut(pager);
    show(pager, pages);
    if (pages.length < 2) return;
    var seconds = parseInt(pager.getAttribute("data-pager-seconds"), 10) || 12;
    (function turn() {
      timer = setTimeout(function () {
        page = (page + 1) % pages.length;
        show(pager, pages);
        turn();
      }, seconds * 1000);
    })();
  }

  function mode() {
    var screen = live.querySelector("[data-mode]");
    return screen ? screen.getAttribute("data-mode") : "";
  }

  function syncControls() {
    // The controls sit outside the swapped part: mark the mode the projector is really in now.
    var now = mode();
    document.querySelectorAll("#projector-controls button[name=mode]").forEach(function (b) {
      var on = b.value === now;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.className = on ? "current" : "secondary";
    });
  }

  var last = mode();
  new MutationObserver(function () {
    if (mode() !== last) { page = 0; last = mode(); }
    syncControls();
    start();
  }).observe(live, { childList: true });
  var resized = null;
  window.addEventListener("resize", function () { clearTimeout(resized); resized = setTimeout(start, 200); });

  var keys = { j: "join", a: "activity", r: "result", w: "wall", n: "next", pagedown: "next", arrowright: "next" };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) return;
    var wanted = keys[(event.key || "").toLowerCase()];
    if (!wanted) return;
    var button = document.querySelector("#projector-controls button[data-key='" + wanted + "']");
    if (!button) return;
    event.preventDefault();
    button.form.requestSubmit ? button.form.requestSubmit(button) : button.click();
  });

  start();
})();
