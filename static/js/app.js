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

  // Elements marked data-confirm ask before their form is submitted.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
