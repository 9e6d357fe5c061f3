#!/usr/bin/env bash
# Set up everything Jinzhi needs on a fresh machine, idempotently:
#   - Debian packages (when root and missing): HarfBuzz subsetter, CJK fonts,
#     poppler, gettext, Chromium for the browser tests;
#   - the Fandol fonts (FangSong/Song/Hei/Kai), taken out of Debian's
#     texlive-lang-chinese without installing TeX;
#   - the Python virtual environment with the project and its dev extra
#     (installed with uv), and everything compiled to bytecode;
#   - the front-end packages from the npm registry, copied into static/vendor
#     with their source maps (scripts/vendor_static.sh says why),
#     and axe-core, for the browser tests, into tests/e2e/vendor;
#   - a development .env (DEBUG and a random SECRET_KEY) if there is none;
#   - compiled message catalogues.
# Usage: scripts/bootstrap.sh [--with-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_BROWSER=0
[ "${1:-}" = "--with-browser" ] && WITH_BROWSER=1
PYTHON="${PYTHON:-python3}"
FANDOL_DIR=/usr/local/share/fonts/fandol

log() { printf '\033[1;34m==> %s\033[0m\n' "$*"; }

missing_debs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_debian_packages() {
  local wanted=(libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fontconfig
    fonts-noto-cjk fonts-noto-cjk-extra poppler-utils gettext)
  # The browser tests run Chromium's headless shell (tests/e2e/conftest.py).
  [ "$WITH_BROWSER" = 1 ] && wanted+=(chromium-headless-shell)
  local missing
  missing=$(missing_debs "${wanted[@]}")
  if [ -n "$missing" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "Missing Debian packages (run as root to install them): $missing" >&2
      return
    fi
    log "Installing Debian packages: $missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

install_fandol_fonts() {
  # Asked by name, not `fc-list | grep -q`: grep leaves at the first match
  # and, under pipefail, the SIGPIPE fc-list may then get read as "missing";
  # the fonts were installed again, touching the files, which made the
  # prepared document copies of the faces (documents/fonts.py) stale.
  if [ -n "$(fc-list FandolFang family 2>/dev/null)" ]; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "The Fandol fonts are missing; run this script as root to install them." >&2
    return
  fi
  log "Installing the Fandol fonts from texlive-lang-chinese"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get download texlive-lang-chinese >/dev/null; })
  dpkg -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/extract"
  mkdir -p "$FANDOL_DIR"
  cp "$tmp"/extract/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*.otf "$FANDOL_DIR/"
  rm -rf "$tmp"
  fc-cache -f "$FANDOL_DIR" >/dev/null
}

install_python() {
  if [ ! -x .venv/bin/python ]; then
    log "Creating the virtual environment"
    "$PYTHON" -m venv .venv
  fi
  # The stamp's "b": installed with compiled bytecode (below).
  local stamp=.venv/.installed-b$(sha256sum pyproject.toml | cut -c1-16)
  if [ ! -f "$stamp" ]; then
    log "Installing Python packages"
    # uv (from PyPI, into the venv) installs the same packages in parallel,
    # several times faster than pip on a fresh venv; pip if uv cannot be had.
    if .venv/bin/python -m pip install -q --disable-pip-version-check uv; then
      .venv/bin/uv pip install -q --compile-bytecode --python .venv/bin/python -e '.[dev]'
    else
      .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
    fi
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}

install_frontend() {
  if [ ! -d node_modules/bootstrap ] || [ ! -d node_modules/axe-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "Installing front-end packages (npm ci)"
    npm ci --no-audit --no-fund --silent
  fi
  bash scripts/vendor_static.sh
  # axe-core is for the browser tests only: injected into the pages they
  # check, never served to users.
  mkdir -p tests/e2e/vendor
  cp node_modules/axe-core/axe.min.js tests/e2e/vendor/
}

write_dev_env() {
  if [ ! -f .env ]; then
    log "Writing a development .env (DEBUG on, random SECRET_KEY)"
    printf 'DEBUG=true\nSECRET_KEY=%s\n' \
      "$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')" >.env
  fi
}

compile_bytecode() {
  # Machines and images that set PYTHONDONTWRITEBYTECODE (this one does)
  # never keep the bytecode Python compiles on import: every process (each
  # test worker, each command a test starts, each gunicorn or Celery process)
  # would compile Django and the project again, about half of its start-up.
  # The packages are compiled as they are installed (above; pip always
  # does); the project is compiled here, where only changed files cost
  # anything, and a stale file is recompiled in memory, never used.
  local folders
  folders=$(ls -d -- */ | grep -v -E '^(node_modules|var|staticfiles|media|test-artifacts)/$')
  # shellcheck disable=SC2086 # one folder a word
  .venv/bin/python -m compileall -q -j 0 $folders ./*.py >/dev/null
}

compile_messages() {
  if command -v msgfmt >/dev/null; then
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules >/dev/null
  else
    echo "gettext (msgfmt) is missing: the English translation is not compiled." >&2
  fi
}

install_debian_packages
install_fandol_fonts
install_python
install_frontend
write_dev_env
mkdir -p var staticfiles
compile_bytecode
compile_messages
log "Set-up complete"
