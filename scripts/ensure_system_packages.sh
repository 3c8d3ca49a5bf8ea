#!/usr/bin/env bash
# Make sure the Debian packages a make target needs are installed.
#
#   scripts/ensure_system_packages.sh demo|test
#
#   demo  the WeasyPrint libraries and a font (the PDFs: board report, plans,
#         letters): fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
#         libharfbuzz-subset0; and python3-venv when .venv is still to be
#         created and python3 cannot create it.
#   test  demo's packages, plus docker-compose (`docker-compose config -q`)
#         and chromium (the browser tests drive /usr/bin/chromium).
#
# Nothing missing: it says nothing and succeeds. Something missing: as root it
# runs apt-get (update, then install only the missing packages); as anyone
# else it stops at once, naming the one apt-get command to run. On a system
# without dpkg (not Debian) it names what it needs and carries on.
# PostgreSQL and Redis are scripts/ensure_services.sh's part.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON3="${PYTHON3:-python3}"
VENV="${VENV:-.venv}"

log() { echo "ensure_system_packages: $*"; }
die() {
    echo "ensure_system_packages: ERROR: $*" >&2
    exit 1
}

WEASYPRINT=(fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)

case "${1:-}" in
demo) wanted=("${WEASYPRINT[@]}") ;;
test) wanted=("${WEASYPRINT[@]}" docker-compose chromium) ;;
*) die "usage: $0 demo|test" ;;
esac

# Debian's python3 creates a virtualenv only with python3-venv (ensurepip).
if [ ! -e "$VENV/pyvenv.cfg" ] && ! "$PYTHON3" -c "import ensurepip, venv" >/dev/null 2>&1; then
    wanted+=(python3-venv)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    log "not a Debian system, nothing checked; make sure you have the equivalents of: ${wanted[*]}"
    exit 0
fi

missing=()
for package in "${wanted[@]}"; do
    if [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null)" != "ii " ]; then
        missing+=("$package")
    fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

install=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -ne 0 ]; then
    die "missing Debian packages: ${missing[*]}. Install them as root, then run make again:
    sudo ${install[*]}"
fi

log "installing the missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
"${install[@]}"

for package in "${missing[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null)" = "ii " ] ||
        die "$package is still not installed after apt-get"
done
