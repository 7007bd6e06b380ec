#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright (executable /usr/bin/chromium).
# As root with apt available, install it (and CJK fonts) when missing; elsewhere say how.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "cjk\|wqy" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } \
    || echo "could not install ${need[*]}; browser tests will be skipped" >&2
else
  echo "Chromium or CJK fonts missing (${need[*]}): browser tests will be skipped." >&2
  echo "Install them with: sudo apt-get install chromium fonts-noto-cjk" >&2
fi
exit 0
