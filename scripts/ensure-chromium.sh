#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed at /usr/bin/chromium, where the browser tests (Playwright for Java,
# run with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1) look for it. Idempotent: does nothing when Chromium already runs.
# Called by .ci/run and by the Maven build.
#
# Settings (environment):
#   CHROMIUM_PATH               the browser to check (default /usr/bin/chromium)
#   TRANSPLANT_SKIP_CHROMIUM=1  do nothing (e.g. in the Docker build, which runs no tests)
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

say() { echo "ensure-chromium: $*"; }
fail() {
    echo "ensure-chromium: ERROR: $*" >&2
    echo "ensure-chromium: the browser tests need Chromium at $CHROMIUM; install it by hand" \
         "(Debian: apt-get install chromium) and run again." >&2
    exit 1
}

if [ "${TRANSPLANT_SKIP_CHROMIUM:-0}" = "1" ]; then
    say "TRANSPLANT_SKIP_CHROMIUM=1: not checking for Chromium"
    exit 0
fi

chromium_version() {
    [ -x "$CHROMIUM" ] && "$CHROMIUM" --version 2>/dev/null
}

if version="$(chromium_version)"; then
    say "found $CHROMIUM: $version"
    exit 0
fi

if [ -e "$CHROMIUM" ]; then
    say "$CHROMIUM exists but does not run; reinstalling"
else
    say "$CHROMIUM is missing; installing Debian's chromium package"
fi

command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: this script installs Chromium on Debian only."

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "not root and sudo is not installed, so Chromium cannot be installed."
    if [ -t 0 ]; then
        SUDO=(sudo)
    else
        SUDO=(sudo -n)   # no terminal to ask for a password: fail instead of hanging
    fi
    say "not root: using ${SUDO[*]}"
fi

APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)

say "running: apt-get update"
"${SUDO[@]}" apt-get "${APT_OPTS[@]}" -q update \
    || fail "'apt-get update' failed (exit $?)."

say "running: apt-get install -y --no-install-recommends chromium"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get "${APT_OPTS[@]}" -q install -y --no-install-recommends chromium \
    || fail "'apt-get install chromium' failed (exit $?)."

version="$(chromium_version)" \
    || fail "chromium was installed but '$CHROMIUM --version' does not run."
say "installed $CHROMIUM: $version"
