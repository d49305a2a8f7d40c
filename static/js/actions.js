/* Buttons that start work: a confirmation first where the form asks for one, then the button
 * is disabled with a spinner so a second click cannot start the work twice (the server joins a
 * second request to the first anyway: this is what the person sees).
 *
 * - <form data-confirm="Question?"> opens the <dialog id="pk-confirm"> of base.html with that
 *   question; "Ya" submits the form, "Batal" or Escape leaves everything as it was.
 * - Every POST form without data-no-busy: on submit, its submit buttons are disabled and the
 *   pressed one shows a spinner and "Memproses…" (aria-busy on the form). They come back when
 *   the page is shown again from the browser's cache, or after a download that left the page.
 *
 * No inline script and no on* attributes: the Content-Security-Policy forbids them.
 */
(function () {
  "use strict";

  var dialog = document.getElementById("pk-confirm");
  var pending = null; // {form, submitter} waiting for the dialog's answer

  function busy(form, submitter) {
    var buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
    form.setAttribute("aria-busy", "true");
    // After the submission has started: a disabled button would drop its own name=value.
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
      });
      if (submitter && submitter.tagName === "BUTTON" && !submitter.querySelector(".spinner-border")) {
        submitter.setAttribute("data-label", submitter.innerHTML);
        var spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm me-1";
        spinner.setAttribute("aria-hidden", "true");
        submitter.prepend(spinner);
        submitter.append(" " + (dialog ? dialog.getAttribute("data-busy-text") : "…"));
      }
      // A download (export, PDF) leaves the page where it was: give the buttons back.
      window.setTimeout(function () { release(form); }, 20000);
    }, 0);
  }

  function release(form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[data-label]").forEach(function (button) {
      button.innerHTML = button.getAttribute("data-label");
      button.removeAttribute("data-label");
    });
    form.querySelectorAll('button, input[type="submit"]').forEach(function (button) {
      button.disabled = false;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") {
      return;
    }
    var question = form.getAttribute("data-confirm");
    if (question && dialog && form.getAttribute("data-confirmed") !== "yes") {
      event.preventDefault();
      pending = { form: form, submitter: event.submitter || null };
      dialog.querySelector("[data-confirm-text]").textContent = question;
      dialog.showModal();
      return;
    }
    form.removeAttribute("data-confirmed");
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post" ||
        form.hasAttribute("data-no-busy") || form.hasAttribute("data-hx-post")) {
      return;
    }
    busy(form, event.submitter || null);
  });

  if (dialog) {
    dialog.addEventListener("close", function () {
      var answer = dialog.returnValue;
      var waiting = pending;
      pending = null;
      if (answer === "ya" && waiting) {
        waiting.form.setAttribute("data-confirmed", "yes");
        if (waiting.form.requestSubmit) {
          waiting.form.requestSubmit(waiting.submitter || undefined);
        } else {
          waiting.form.submit();
        }
      } else if (waiting && waiting.submitter) {
        waiting.submitter.focus();
      }
    });
  }

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll('form[aria-busy="true"]').forEach(release);
    }
  });
})();
