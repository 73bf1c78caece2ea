#!/bin/sh
# Rebuild the vendored editor (gongkai/core/static/gongkai/vendor/tiptap/) from the pinned npm packages.
# Run by hand after changing a version in package.json; the built files are committed, so neither the demo,
# the tests nor production need node or the network.
set -eu
cd "$(dirname "$0")"
OUT=../../gongkai/core/static/gongkai/vendor/tiptap
npm ci --no-audit --no-fund
mkdir -p "$OUT"
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --metafile=meta.json --outfile="$OUT/tiptap.min.js"
node licences.mjs meta.json > "$OUT/LICENSES.txt"
node extract-css.mjs > "$OUT/tiptap.css"
rm meta.json
ls -l "$OUT"
