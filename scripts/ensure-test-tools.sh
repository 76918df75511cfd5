#!/usr/bin/env bash
# Makes sure the programs the tests drive are installed, from Debian's packages when they are missing:
#   - Chromium at /usr/bin/chromium, for the browser tests (Playwright for Java, run with
#     PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1);
#   - gpg, which must open an account archive's encrypted part with its password (the archive tests).
# Idempotent: does nothing when both already run. Called by .ci/run and by the Maven build.
#
# Settings (environment):
#   CHROMIUM_PATH               the browser to check (default /usr/bin/chromium)
#   TRANSPLANT_SKIP_CHROMIUM=1  do nothing (e.g. in the Docker build, which runs no tests)
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"

say() { echo "ensure-test-tools: $*"; }
fail() {
    echo "ensure-test-tools: ERROR: $*" >&2
    echo "ensure-test-tools: the tests need Chromium at $CHROMIUM and gpg; install them by hand" \
         "(Debian: apt-get install chromium gnupg) and run again." >&2
    exit 1
}

if [ "${TRANSPLANT_SKIP_CHROMIUM:-0}" = "1" ]; then
    say "TRANSPLANT_SKIP_CHROMIUM=1: not checking for Chromium or gpg"
    exit 0
fi

chromium_version() { [ -x "$CHROMIUM" ] && "$CHROMIUM" --version 2>/dev/null; }
gpg_version() { command -v gpg >/dev/null 2>&1 && gpg --version 2>/dev/null | head -1; }

missing=()
if version="$(chromium_version)"; then
    say "found $CHROMIUM: $version"
else
    say "$CHROMIUM is missing or does not run; will install Debian's chromium package"
    missing+=(chromium)
fi
if version="$(gpg_version)"; then
    say "found gpg: $version"
else
    say "gpg is missing; will install Debian's gnupg package"
    missing+=(gnupg)
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

command -v apt-get >/dev/null 2>&1 || fail "apt-get not found: this script installs on Debian only."

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "not root and sudo is not installed, so ${missing[*]} cannot be installed."
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

say "running: apt-get install -y --no-install-recommends ${missing[*]}"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get "${APT_OPTS[@]}" -q install -y --no-install-recommends "${missing[@]}" \
    || fail "'apt-get install ${missing[*]}' failed (exit $?)."

version="$(chromium_version)" || fail "chromium was installed but '$CHROMIUM --version' does not run."
say "Chromium: $version"
version="$(gpg_version)" || fail "gnupg was installed but 'gpg --version' does not run."
say "gpg: $version"
