// Before a form with files leaves a slow connection, check what the server would refuse
// anyway (pk_portal.middleware.RequestBodyLimitMiddleware and each file's own limit), so that
// nothing typed is lost to a "too large" page. The server checks again; this only spares the
// wait and the retyping. Forms opt in with data-max-total-bytes and data-max-file-bytes.
(function () {
  "use strict";
  function megabytes(bytes) {
    return (bytes / 1024 / 1024).toFixed(1).replace(".", ",");
  }
  document.querySelectorAll("form[data-max-total-bytes]").forEach(function (form) {
    var maxTotal = Number(form.dataset.maxTotalBytes);
    var maxFile = Number(form.dataset.maxFileBytes || 0);
    var alertBox = form.querySelector("[data-upload-alert]");
    form.addEventListener("submit", function (event) {
      var total = 0;
      var tooLarge = [];
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) {
          total += file.size;
          if (maxFile && file.size > maxFile) {
            tooLarge.push(file.name + " (" + megabytes(file.size) + " MB)");
          }
        });
      });
      var message = "";
      if (tooLarge.length) {
        message = form.dataset.msgFile.replace("%s", tooLarge.join(", "));
      } else if (total > maxTotal) {
        message = form.dataset.msgTotal.replace("%s", megabytes(total));
      }
      if (message && alertBox) {
        event.preventDefault();
        alertBox.textContent = message;
        alertBox.classList.remove("d-none");
        alertBox.scrollIntoView({ block: "center" });
      }
    });
  });
})();
