/* Where the keyboard focus goes, and what a screen reader hears, when a page changes.
 *
 * - After a form comes back with errors, the focus goes to its error summary (whose links lead
 *   to each field), or, on forms marked data-pk-focus-invalid (the signing form), straight to
 *   the first field that was wrong.
 * - After an htmx swap (e.g. "Periksa ulang" on the PK page) whose trigger disappeared with the
 *   old content, the focus goes to the new region's heading (or its first field) instead of
 *   dropping to <body>, and the change is announced in the page's live region
 *   (#pk-live-status, in base.html, whose data-msg-* attributes carry the translated words).
 *   A poll or a swap the person did not start never moves the focus.
 *
 * Static file, no inline script: the Content-Security-Policy allows no 'unsafe-inline'.
 */
(function () {
  "use strict";

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function status() {
    return document.getElementById("pk-live-status");
  }

  function announce(text) {
    var region = status();
    if (!region || !text) {
      return;
    }
    // Emptied first so that the same words twice are read twice.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function focusElement(element) {
    if (!element) {
      return false;
    }
    if (!element.matches(FIELDS + ", a[href], button, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return document.activeElement === element;
  }

  function focusAfterErrors() {
    var summary = document.querySelector(".pk-error-summary");
    if (!summary) {
      // Chromium skips autofocus in some loads (e.g. after a redirect through a POST): the
      // field meant to be first gets the focus all the same.
      var first = document.querySelector("[autofocus]");
      var active = document.activeElement;
      if (first && (!active || active === document.body)) {
        first.focus();
      }
      return;
    }
    var form = summary.closest("form");
    if (form && form.hasAttribute("data-pk-focus-invalid")) {
      if (focusElement(form.querySelector('[aria-invalid="true"]'))) {
        return;
      }
    }
    focusElement(summary);
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function startedByPerson(detail) {
    var config = detail && detail.requestConfig;
    var event = config && config.triggeringEvent;
    return !!(event && /^(click|submit|change|keydown|keyup|input)$/.test(event.type));
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var region = event.target; // the new content (htmx settles each swapped element)
    if (!region || !region.isConnected || !region.matches) {
      return;
    }
    if (region.matches("tbody[data-formset], input, [data-hx-swap-oob], [data-hx-swap-oob]")) {
      return; // rows of the lampiran editor (editor.js decides) and out-of-band bookkeeping
    }
    if (!startedByPerson(detail)) {
      return;
    }
    var heading = region.matches("h1, h2, h3, h4, h5, h6")
      ? region
      : region.querySelector("h1, h2, h3, h4, h5, h6, caption");
    var words = status() && status().getAttribute("data-msg-updated");
    announce(heading ? heading.textContent.trim() + ": " + words : words);
    if (focusLost()) {
      focusElement(heading || region.querySelector(FIELDS) || region);
    }
  });

  // The lampiran editor (editor.js) asks for its "row added" message through this event.
  document.addEventListener("pk:announce", function (event) {
    var key = event.detail && event.detail.message;
    announce(status() && status().getAttribute("data-msg-" + key));
  });

  // The skip link moves the focus itself: with the plain #main fragment the next form posted
  // from the page would carry it and, coming back, pull the focus from its error summary.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".pk-skip-link");
    var target = link && document.getElementById("main");
    if (target) {
      event.preventDefault();
      focusElement(target);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusAfterErrors);
  } else {
    focusAfterErrors();
  }
  // A fragment in the address (e.g. #main) is focused by the browser after DOMContentLoaded.
  window.addEventListener("load", function () {
    var active = document.activeElement;
    if (!active || active === document.body || active.id === "main") {
      focusAfterErrors();
    }
  });
})();
