// Small progressive enhancements; no inline script anywhere (CSP).
document.addEventListener("DOMContentLoaded", function () {
  // RGAA: after a failed submission, move focus to the error summary.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Filters take a whole phone screen: fold them there (below the design system's md, 48em),
  // unless the form has errors to show. Without JavaScript they simply stay open.
  if (window.matchMedia && window.matchMedia("(max-width: 47.99em)").matches) {
    document.querySelectorAll("details[data-fold-on-small-screens]").forEach(function (details) {
      if (!details.querySelector("[data-error-summary]")) {
        details.open = false;
      }
    });
  }
});
document.addEventListener("htmx:afterSwap", function (event) {
  var summary = event.target.querySelector && event.target.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
