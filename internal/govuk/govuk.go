// Package govuk carries GOV.UK Frontend 6.6.0 (MIT, Crown copyright; its licence beside it),
// compiled for familyhubs by build.sh: the styles and scripts of the pages and the HTML
// briefing, served by the binary itself, never fetched. A council's tool is not a GOV.UK
// service, so it uses Arial, not GDS Transport, and no crown.
package govuk

import _ "embed"

// Version is the govuk-frontend release embedded.
const Version = "6.6.0"

// CSS is the compiled stylesheet (govuk-frontend-6.6.0.min.css).
//
//go:embed govuk-frontend-6.6.0.min.css
var CSS []byte

// JS is the components' script, an ES module exporting initAll (govuk-frontend-6.6.0.min.js).
//
//go:embed govuk-frontend-6.6.0.min.js
var JS []byte

// Licence is the licence the files are used under.
//
//go:embed LICENCE-govuk-frontend.txt
var Licence []byte
