#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the browser journey, a
# colour emoji font so its screenshots show the emoji the UI uses, and npm for
# the browser accessibility audit (axe-core, installed by `make test-deps`).
# (pgvector's build dependencies are handled by scripts/pgvector.sh, only when
# the extension is missing.) Idempotent: installs only what is missing.
# Without apt-get (not Debian) it says so and carries on; the tests that need
# these packages then skip with a reason (or fail in CI).
set -euo pipefail

want=(chromium fonts-noto-color-emoji npm)
missing=()
reinstall=""
for pkg in "${want[@]}"; do
  if [ "$pkg" = npm ]; then
    # A working command is enough (nvm, a NodeSource nodejs that bundles npm). A
    # NodeSource nodejs conflicts with Debian's npm package: reinstall it instead.
    command -v npm >/dev/null 2>&1 && continue
    case "$(dpkg-query -W -f='${Version}' nodejs 2>/dev/null || true)" in
      *nodesource*) missing+=(nodejs); reinstall="--reinstall"; continue ;;
    esac
  fi
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
$SUDO apt-get install -y -qq --no-install-recommends $reinstall "${missing[@]}" >/dev/null
