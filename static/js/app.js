/* Behaviour that used to sit in inline handlers (the Content-Security-Policy
 * allows no inline script): elements say what they do with data-action. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    var action = target.getAttribute("data-action");
    if (action === "print") {
      window.print();
    } else if (action === "filing-download") {
      // The download goes ahead; the receipt beside it listens for this event
      // and refreshes. (An htmx "click from:" trigger on the link itself would
      // cancel the link's default action, and with it the download.)
      target.dispatchEvent(new CustomEvent("filingdownload", { bubbles: true }));
    }
  });
})();
