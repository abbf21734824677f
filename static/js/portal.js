// Small progressive enhancements; no inline script anywhere (CSP).
document.addEventListener("DOMContentLoaded", function () {
  // RGAA: after a failed submission, move focus to the error summary.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  var summary = event.target.querySelector && event.target.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
