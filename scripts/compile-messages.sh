#!/usr/bin/env bash
# Compile the zh_Hans (and other) message catalogues into .mo files (needs GNU gettext's msgfmt).
set -euo pipefail
python=$(cd "$(dirname "${1:-python3}")" 2>/dev/null && pwd)/$(basename "${1:-python3}")
root="$(cd "$(dirname "$0")/.." && pwd)"
if ! command -v msgfmt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing gettext (msgfmt) with apt-get"
    (apt-get install -y -qq gettext >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gettext; })
  else
    echo "msgfmt (GNU gettext) is missing: install it (Debian: apt-get install gettext)" >&2
    exit 1
  fi
fi
cd "$root/src/sanxiang"
DJANGO_SETTINGS_MODULE=sanxiang.conf.test "$python" -m django compilemessages --verbosity 0 --ignore '.venv'
