/* Printing: folded blocks (<details>) are opened for the printout and folded
 * again afterwards, so that the paper holds what the page holds. The print
 * button itself is handled in app.js (data-action="print"). */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
