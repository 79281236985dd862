// Suggestion chips: with JavaScript they add their words to the field; without it they are plain examples.
(function () {
  document.querySelectorAll("[data-add-to]").forEach(function (chip) {
    chip.hidden = false;
    chip.nextElementSibling.hidden = true;
    chip.addEventListener("click", function () {
      var field = document.getElementById(chip.getAttribute("data-add-to"));
      var words = chip.textContent.trim();
      var current = field.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
      if (current.indexOf(words) === -1) current.push(words);
      field.value = current.join(", ");
      field.focus();
    });
  });
})();
