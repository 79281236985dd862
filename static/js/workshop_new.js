// Keep the order in which scenarios were ticked, so the workshop shows them in that order.
(function () {
  var order = document.querySelector("form input[name=order]"), picked = [];
  if (!order) return;
  document.querySelectorAll(".scenario-list input[type=checkbox]").forEach(function (box) {
    if (box.checked) picked.push(box.value);
    box.addEventListener("change", function () {
      picked = picked.filter(function (v) { return v !== box.value; });
      if (box.checked) picked.push(box.value);
      order.value = picked.join(",");
    });
  });
  order.value = picked.join(",");
})();
