/* Citation markers open the evidence card of their passage.
 *
 * Without JavaScript a marker [n] jumps to reference n in the list at the
 * end of the article, and a badge opens its card (a plain <details>). With
 * it, a marker opens the passage's card in place and points at the study it
 * stands for; Escape closes the card and returns focus to its badge.
 */
(function () {
  "use strict";

  function openCard(marker) {
    var card = document.getElementById(marker.getAttribute("data-card"));
    if (!card || card.tagName !== "DETAILS") return false;
    card.open = true;
    var items = card.querySelectorAll("[data-ref]");
    var target = null;
    for (var i = 0; i < items.length; i++) {
      var current = items[i].getAttribute("data-ref") === marker.getAttribute("data-ref");
      items[i].classList.toggle("is-current", current);
      if (current) target = items[i];
    }
    (target || card.querySelector("summary")).focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var marker = event.target.closest && event.target.closest("a.cite[data-card]");
    if (!marker || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (openCard(marker)) event.preventDefault();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var card = document.activeElement && document.activeElement.closest("details.evidence-card[open]");
    if (!card) return;
    card.open = false;
    card.querySelector("summary").focus();
  });
})();
