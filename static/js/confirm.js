/* Irreversible actions ask for confirmation (cases.confirmations): a form
 * with data-confirm="<consequence>" carries a `confirm` checkbox the server
 * requires. With script, the checkbox is hidden and submitting asks in a
 * dialog naming the consequence; accepting ticks it, declining cancels. */
(function () {
  "use strict";

  function confirmBox(form) {
    return form.querySelector('input[type="checkbox"][name$="confirm"]');
  }

  function hideBoxes(root) {
    var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-confirm]"));
    if (root.matches && root.matches("form[data-confirm]")) forms.push(root);
    forms.forEach(function (form) {
      var box = confirmBox(form);
      if (!box) return;
      var wrapper = box.closest("[data-confirm-field]") || box.closest("[id^='div_id_']") ||
        box.closest(".form-check");
      if (wrapper) wrapper.hidden = true;
    });
  }

  // Capture phase: runs before htmx or the browser submits the form.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) return;
      var box = confirmBox(form);
      if (box && box.checked) return;
      if (window.confirm(form.getAttribute("data-confirm"))) {
        if (box) box.checked = true;
      } else {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener("DOMContentLoaded", function () {
    hideBoxes(document);
  });
  // Every piece of content htmx puts in the page, out-of-band swaps included.
  document.addEventListener("htmx:load", function (event) {
    hideBoxes(event.target);
  });
})();
