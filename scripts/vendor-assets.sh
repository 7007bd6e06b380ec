#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry at the pinned versions.
# The results are committed under src/sanxiang/static/vendor/; nothing loads from a CDN.
set -euo pipefail
HTMX_VERSION=2.0.11
dest="$(cd "$(dirname "$0")/.." && pwd)/src/sanxiang/static/vendor"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "htmx.org@${HTMX_VERSION}" --silent >/dev/null
tar xzf "htmx.org-${HTMX_VERSION}.tgz"
cp package/dist/htmx.min.js "$dest/htmx.min.js"
cp package/LICENSE "$dest/htmx.LICENSE"
echo "htmx ${HTMX_VERSION} → $dest"
