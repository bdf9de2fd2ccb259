#!/bin/sh
# Rebuilds the GOV.UK Frontend files the binary serves, from npm's govuk-frontend at the pinned
# version, with familyhubs.scss's settings (Arial, no GDS Transport font faces, assets under
# /static/govuk/). Not run by CI or the tests: the built files are committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund sass@1 govuk-frontend@6.6.0 >/dev/null
node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules --quiet-deps \
  "$here/familyhubs.scss" "$here/govuk-frontend-6.6.0.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$here/govuk-frontend-6.6.0.min.js"
