"use strict";
// The Django admin's script-built widgets, named for assistive technology (the same
// axe checks as the portal): Select2, the autocomplete widget, names its combobox by
// the chosen value alone, so an empty one has no name; the filter of a two-list
// selector (filter_horizontal) puts aria-label on a plain span, where ARIA allows none.
(function () {
  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      const container = select.nextElementSibling;
      const combobox = container && container.querySelector(".select2-selection[role='combobox']");
      const label = document.querySelector("label[for='" + select.id + "']");
      if (!combobox || !label) {
        return;
      }
      label.id = label.id || select.id + "_label";
      const named = (combobox.getAttribute("aria-labelledby") || "").split(" ");
      if (!named.includes(label.id)) {
        combobox.setAttribute("aria-labelledby", [label.id, ...named].join(" ").trim());
      }
      // The box showing the choice is a textbox of its own, named by the same label.
      const shown = combobox.querySelector("[role='textbox']");
      if (shown && !shown.hasAttribute("aria-labelledby")) {
        shown.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  function markFilterIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function fix() {
    nameAutocompletes(document);
    markFilterIcons(document);
  }

  // The widgets are built on DOMContentLoaded and on load, and again for each inline
  // row added: fix what is there, then whatever is added.
  document.addEventListener("DOMContentLoaded", function () {
    fix();
    new MutationObserver(fix).observe(document.body, { childList: true, subtree: true });
  });
})();
