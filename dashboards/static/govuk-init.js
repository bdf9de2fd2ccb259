// Starts GOV.UK Frontend's components (skip link, service navigation, error summary, button,
// notification banner) from the binary's own copy. A file, not an inline script: the pages'
// policy allows none. Browsers that run modules support GOV.UK Frontend, so the class that turns
// on its enhanced styles is set here too.
import { initAll } from "/static/govuk/govuk-frontend-6.6.0.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
