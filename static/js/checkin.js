// The check-in card on a participant's page: fetch it every few seconds, so the facilitator's "How is this
// landing?" appears without a reload, and send a tap in the background, so what the person is typing on the
// page stays where it is. Without JavaScript the card appears on the next page and a tap is a normal post.
(function () {
  if (!window.fetch || !window.DOMParser || !window.FormData) return;
  var first = document.getElementById("checkin-card");
  if (!first) return;
  var url = first.getAttribute("data-checkin-url");
  var delay = 1000 * (parseInt(first.getAttribute("data-poll-seconds"), 10) || 20);
  var headers = { "X-Checkin-Fetch": "1" };

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("checkin-card");
    var card = document.getElementById("checkin-card");
    if (fresh && card && fresh.innerHTML !== card.innerHTML) card.innerHTML = fresh.innerHTML;
  }

  function tick() {
    if (document.hidden) { setTimeout(tick, delay); return; }
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (r) { if (r.status === 404) throw new Error("gone"); if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) { swap(html); setTimeout(tick, delay); })
      .catch(function (e) { if (e.message !== "gone") setTimeout(tick, delay * 2); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target, button = event.submitter;
    if (!form.classList.contains("checkin-form") || !button) return;
    event.preventDefault();
    var data = new FormData(form);
    data.append(button.name, button.value);
    fetch(form.action, { method: "POST", body: data, headers: headers, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(swap)
      .catch(function () {  // the background post failed: post the page itself
        var input = document.createElement("input");
        input.type = "hidden"; input.name = button.name; input.value = button.value;
        form.appendChild(input);
        form.submit();
      });
  });

  setTimeout(tick, delay);
})();
