#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the browser journey and a
# colour emoji font so its screenshots show the emoji the UI uses.
# (pgvector's build dependencies are handled by scripts/pgvector.sh, only when
# the extension is missing.) Idempotent: installs only what is missing.
# Without apt-get (not Debian) it says so and carries on; the tests that need
# these packages then skip with a reason (or fail in CI).
set -euo pipefail

want=(chromium fonts-noto-color-emoji)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: already installed (${want[*]})"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages: apt-get not found; please install: ${missing[*]}" >&2
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
