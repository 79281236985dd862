// The listening lab: a phone asks every few seconds whether what it shows has changed (its group moved on, an
// observer's rating arrived) and reloads only then, so nobody loses what they are typing to another group's
// progress. A failed request just waits for the next turn.
(function () {
  var box = document.getElementById("listening");
  if (!box) return;
  var url = box.getAttribute("data-poll");
  var sig = box.getAttribute("data-sig");
  var seconds = 3;
  function check() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.sig && data.sig !== sig) { window.location.reload(); return; }
        window.setTimeout(check, seconds * 1000);
      })
      .catch(function () { window.setTimeout(check, seconds * 1000); });
  }
  window.setTimeout(check, seconds * 1000);
})();
