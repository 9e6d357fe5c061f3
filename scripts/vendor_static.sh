#!/usr/bin/env bash
# Copy the front-end files the templates use from node_modules (npm ci) into
# static/vendor/. The source maps are copied with them on purpose: the
# minified files name them (sourceMappingURL), and the manifest storage used
# with DEBUG=false refuses to collect a file that refers to a missing one.
# Keeping collectstatic strict is what catches a template or stylesheet that
# points at a file we forgot; the maps also let a browser's tools show the
# original sources when a layout problem is reported from production.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p static/vendor/bootstrap static/vendor/htmx
cp node_modules/bootstrap/dist/css/bootstrap.min.css \
  node_modules/bootstrap/dist/css/bootstrap.min.css.map \
  node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
  node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
  static/vendor/bootstrap/
cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
