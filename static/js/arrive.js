// After "See my analogy" the page opens where the reader is going, not above the story they just read (the
// server folds the story away): the element marked data-arrive comes to the top and takes the focus, so a
// screen reader starts there too. A link to a part of the page (#...) wins. Without JavaScript the folded
// story keeps the analogy near the top anyway.
(function () {
  var here = document.querySelector("[data-arrive]");
  if (!here || window.location.hash) return;
  here.scrollIntoView({ block: "start" });
  here.focus({ preventScroll: true });
})();
