/* KOMDIR portal: our own JavaScript. Loaded with `defer` after the DKFDS and
 * htmx bundles; nothing runs inline (the CSP is script-src 'self'). */
(function () {
  "use strict";

  function start() {
    // Det Fælles Designsystem: mobile menu, accordions, alerts, overflow menus...
    // Initialised once for the whole page: DKFDS.init() also sets up the
    // navigation, which must not be set up twice.
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      window.DKFDS.init();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  // Send the CSRF token with every htmx request that changes something. Every
  // page has one in a form (log out, language), so no extra token is rendered.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('input[name="csrfmiddlewaretoken"]');
    if (token && event.detail.verb !== "get") {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });

  // Tag suggestions (focusareas/_tag_suggestions.html): a click adds the tag to the
  // tags field, replacing the word being typed, and keeps the focus in the field.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-tag-suggestion]");
    if (!button) {
      return;
    }
    var input = document.querySelector('input[name="tags"]');
    if (!input) {
      return;
    }
    var tag = button.getAttribute("data-tag-suggestion");
    if (tag.indexOf(",") !== -1 || tag.indexOf(" ") !== -1) {
      tag = '"' + tag.replace(/"/g, "") + '"';
    }
    var parts = input.value.split(",").map(function (part) { return part.trim(); });
    parts.pop();
    var existing = parts.filter(function (part) { return part !== ""; });
    if (existing.indexOf(tag) === -1) {
      existing.push(tag);
    }
    input.value = existing.join(", ") + ", ";
    input.focus();
  });

  // A button marked data-copy-from copies the value of the field of that id (the
  // two-factor secret) and says so on itself for a moment.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-from]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    if (!field || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(field.value).then(function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      window.setTimeout(function () { button.textContent = label; }, 2000);
    });
  });

  // Elements marked data-confirm ask before their form is submitted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
