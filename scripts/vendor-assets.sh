#!/usr/bin/env bash
# Re-vendor the front-end assets from the npm registry at the pinned versions.
# The results are committed (nothing loads from a CDN):
#   src/sanxiang/static/vendor/  htmx, ECharts (portal statistics, dashboards)
#   tests/browser/vendor/        axe-core (accessibility checks of the browser tests only)
# `scripts/vendor-assets.sh --check` re-downloads and compares with the committed files.
set -euo pipefail
HTMX_VERSION=2.0.11
ECHARTS_VERSION=6.1.0
AXE_VERSION=4.14.1
root="$(cd "$(dirname "$0")/.." && pwd)"
static="$root/src/sanxiang/static/vendor"
testing="$root/tests/browser/vendor"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
check=0; [ "${1:-}" = "--check" ] && check=1

fetch() {  # package version file-in-package destination license-destination
  local pkg=$1 version=$2 file=$3 dest=$4 license=$5
  (cd "$work" && rm -rf package && npm pack "${pkg}@${version}" --silent >/dev/null \
     && tar xzf "${pkg}-${version}.tgz")
  if [ "$check" = 1 ]; then
    cmp "$work/package/$file" "$dest" && echo "ok ${pkg} ${version}"
  else
    mkdir -p "$(dirname "$dest")"
    cp "$work/package/$file" "$dest"
    cp "$work/package/LICENSE" "$license"
    echo "${pkg} ${version} → $dest ($(sha256sum "$dest" | cut -c1-16)…)"
  fi
}

fetch htmx.org "$HTMX_VERSION" dist/htmx.min.js "$static/htmx.min.js" "$static/htmx.LICENSE"
fetch echarts "$ECHARTS_VERSION" dist/echarts.min.js "$static/echarts.min.js" "$static/echarts.LICENSE"
fetch axe-core "$AXE_VERSION" axe.min.js "$testing/axe.min.js" "$testing/axe-core.LICENSE"
