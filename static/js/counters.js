/* Character counters on limited fields (CSP: no inline script).
 *
 * Every <textarea> with a maxlength, and every <input> whose maxlength is at
 * least 100 (or that carries data-counter), gets a count under it: "80 / 4000".
 * The maxlength attribute moves to data-maxlength, so that pasted text is no
 * longer cut off silently by the browser: the counter turns red and says by how
 * much it is over, and the server refuses it with a plain message.
 *
 * The wording comes from this script tag's data attributes, rendered in the
 * reader's language by base.html: data-counter-text ("{count} / {max}") and
 * data-counter-over ("{over} over, at most {max}").
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var countText = (script && script.dataset.counterText) || "{count} / {max}";
  var overText = (script && script.dataset.counterOver) || "+{over} / {max}";
  var MIN_INPUT_LIMIT = 100;
  var serial = 0;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function update(field, counter) {
    var max = parseInt(field.dataset.maxlength, 10);
    var count = Array.from(field.value).length; // code points, as the server counts
    var over = count - max;
    counter.textContent = over > 0
      ? fill(overText, { over: over, max: max, count: count })
      : fill(countText, { count: count, max: max });
    counter.classList.toggle("char-counter-over", over > 0);
    if (over > 0) {
      field.setAttribute("aria-invalid", "true");
    } else if (field.dataset.counterInvalid !== "server") {
      field.removeAttribute("aria-invalid");
    }
  }

  function attach(field) {
    if (field.dataset.counterAttached) return;
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!(max > 0)) return;
    if (field.tagName === "INPUT" && max < MIN_INPUT_LIMIT && !("counter" in field.dataset)) return;
    field.dataset.counterAttached = "1";
    field.dataset.maxlength = String(max);
    field.removeAttribute("maxlength");
    if (field.getAttribute("aria-invalid") === "true") field.dataset.counterInvalid = "server";
    var counter = document.createElement("div");
    counter.className = "form-text char-counter";
    counter.id = (field.id || "field") + "-counter-" + (++serial);
    counter.setAttribute("data-testid", "char-counter");
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + counter.id : counter.id);
    field.insertAdjacentElement("afterend", counter);
    field.addEventListener("input", function () { update(field, counter); });
    update(field, counter);
  }

  function scan(root) {
    (root || document).querySelectorAll("textarea[maxlength], input[maxlength]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { scan(document); });
  } else {
    scan(document);
  }
  // Forms that htmx swaps in get their counters too.
  document.addEventListener("htmx:afterSettle", function (event) { scan(event.target); });
})();
