// Tables on narrow screens and for keyboard users (issue 21).
// - A table marked .table-stack shows one card a row under 768 px: each cell
//   is labelled with its column header (data-label, shown by app.css), and
//   the table gets .is-stacked so that the CSS applies only when labelled.
// - A .table-responsive wrapper that scrolls sideways is made reachable by
//   keyboard (tabindex=0) and named after its table's caption.
// Runs on load, after every htmx swap and when the window is resized.
(function () {
  "use strict";

  function headerTexts(table) {
    const row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) return [];
    const texts = [];
    for (const cell of row.cells) {
      const text = cell.textContent.replace(/[↑↓]/g, "").replace(/\s+/g, " ").trim();
      for (let i = 0; i < (cell.colSpan || 1); i += 1) texts.push(text);
    }
    return texts;
  }

  function stack(table) {
    const texts = headerTexts(table);
    if (!texts.length) return;
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          const text = texts[column];
          if (text && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", text);
          column += cell.colSpan || 1;
        }
      }
    }
    table.classList.add("is-stacked");
  }

  function reachable(wrapper) {
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (scrolls && !wrapper.hasAttribute("tabindex")) {
      const caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("data-scroll-focus", "");
      if (caption && !wrapper.hasAttribute("aria-label")) {
        wrapper.setAttribute("aria-label", caption.textContent.replace(/\s+/g, " ").trim());
      }
    } else if (!scrolls && wrapper.hasAttribute("data-scroll-focus")) {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("data-scroll-focus");
    }
  }

  function apply(root) {
    const scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("table.table-stack:not(.is-stacked)").forEach(stack);
    document.querySelectorAll(".table-responsive").forEach(reachable);
  }

  let pending = null;
  function later() {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(function () {
      pending = null;
      apply(document);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  } else {
    apply(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { apply(event.target); });
  window.addEventListener("resize", later);
})();
