/* The lampiran editor: move rows up and down, mark deleted rows, number the ORDER fields.
 *
 * No inline script and no on* attributes anywhere: events are bound here, by delegation, so a
 * Content-Security-Policy without 'unsafe-inline' does not break the page. New rows come from
 * the server through htmx (the formset's empty form with the next index); this file only keeps
 * every hidden ORDER field equal to the row's place in its table, which is what the server saves.
 */
(function () {
  "use strict";

  function formsetRows(tbody) {
    return Array.prototype.filter.call(tbody.children, function (row) {
      return row.classList.contains("pk-formset-row");
    });
  }

  function renumber(tbody) {
    formsetRows(tbody).forEach(function (row, index) {
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) {
        order.value = String(index + 1);
      }
    });
  }

  function move(button) {
    var row = button.closest("tr.pk-formset-row");
    if (!row) {
      return;
    }
    var tbody = row.parentElement;
    if (button.getAttribute("data-move") === "up") {
      var previous = row.previousElementSibling;
      if (previous) {
        tbody.insertBefore(row, previous);
      }
    } else {
      var next = row.nextElementSibling;
      if (next) {
        tbody.insertBefore(next, row);
      }
    }
    renumber(tbody);
    button.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-move]");
    if (button) {
      event.preventDefault();
      move(button);
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches('input[type="checkbox"][name$="-DELETE"]')) {
      var row = box.closest("tr");
      if (row) {
        row.classList.toggle("pk-row-deleted", box.checked);
      }
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var tbody = event.detail && event.detail.target;
    if (!tbody || !tbody.matches || !tbody.matches("tbody[data-formset]")) {
      return;
    }
    renumber(tbody);
    document.dispatchEvent(new CustomEvent("pk:announce", {detail: {message: "row-added"}}));
    // The new row gets the focus only if it is still on the "Tambah …" button: a late answer
    // must not pull the focus away from a field the person went on typing in.
    var button = event.detail.requestConfig && event.detail.requestConfig.elt;
    var active = document.activeElement;
    if (active !== button && active && active !== document.body) {
      return;
    }
    var rows = formsetRows(tbody);
    var last = rows[rows.length - 1];
    var first = last && last.querySelector("input:not([type=hidden]), textarea");
    if (first) {
      first.focus();
    }
  });

  document.querySelectorAll("tbody[data-formset]").forEach(renumber);
})();
