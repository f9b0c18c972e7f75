// Runs first in <body>, as GOV.UK Frontend expects; a file, not inline, for our CSP.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
