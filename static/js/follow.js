// Presenter pacing: a phone that waits for the room asks every few seconds where it should be, and goes
// there as soon as the facilitator moves the room on. A failed request just waits for the next turn.
(function () {
  var box = document.getElementById("waiting");
  if (!box) return;
  var url = box.getAttribute("data-next");
  var seconds = 3;
  function check() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.step !== "waiting" && data.url) { window.location.assign(data.url); return; }
        window.setTimeout(check, seconds * 1000);
      })
      .catch(function () { window.setTimeout(check, seconds * 1000); });
  }
  window.setTimeout(check, seconds * 1000);
})();
