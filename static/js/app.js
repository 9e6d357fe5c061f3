/* Behaviour that used to sit in inline handlers (the Content-Security-Policy
 * allows no inline script): elements say what they do with data-action. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    if (target.getAttribute("data-action") === "print") {
      window.print();
    }
  });
})();
