#!/usr/bin/env bash
# One idempotent setup used by `npm start`, `npm test`, `npm run bench` and CI.
# Installs npm packages, builds the Temporal CLI (dev server) from its Go module, fetches Temporal's
# time-skipping test server from Maven Central and the administrative units from PyPI, installs the Debian
# packages the tests drive (Chromium, LibreOffice, poppler) and compiles the TypeScript. Everything is cached under .cache/;
# a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

TEMPORAL_CLI_VERSION=1.5.1
TEST_SERVER_VERSION=1.38.0
# The Temporal server the CLI above embeds, for `dondoc cluster up` (a real server on PostgreSQL).
TEMPORAL_SERVER_VERSION=1.29.1
CACHE="$ROOT/.cache"
TEMPORAL_BIN="$CACHE/temporal-cli/v$TEMPORAL_CLI_VERSION/temporal"
TEST_SERVER_DIR="$CACHE/temporal-test-server/$TEST_SERVER_VERSION"
TEMPORAL_SERVER_DIR="$CACHE/temporal-server/v$TEMPORAL_SERVER_VERSION"
mkdir -p "$CACHE"

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'dondoc setup: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || fail "cần '$1' nhưng không tìm thấy trên PATH ($1 is required and not on PATH). $2"; }

# Runs a long command, printing a line every 10 s so a slow step never looks hung.
with_progress() {
  local label=$1; shift
  local log="$CACHE/${label// /-}.log"
  local start=$SECONDS
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    kill -0 "$pid" 2>/dev/null && printf '    … %s: %ds (%s)\n' "$label" $((SECONDS - start)) "$(tail -n 1 "$log" | cut -c1-80)" >&2
  done
  if ! wait "$pid"; then
    tail -n 30 "$log" >&2
    fail "$label failed; full log: $log"
  fi
  printf '    %s done in %ds\n' "$label" $((SECONDS - start)) >&2
}

need node "Install Node.js 20."
need npm "Install npm (comes with Node.js)."

# --- npm packages ---------------------------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] ||
  [ package.json -nt node_modules/.package-lock.json ]; then
  step "npm packages"
  # `npm install` with the committed lock: `npm ci` refuses this lock because the registry serves only some of
  # @swc/core's optional per-platform packages, which npm then leaves out of the lock. `--no-save` keeps the
  # tracked files as they are: npm still installs what the lock pins (through the configured registry or proxy,
  # as before) but never writes package.json or package-lock.json, so `npm start` and `npm test` leave `git status`
  # clean. Changing dependencies stays a deliberate `npm install <pkg>` by a developer.
  with_progress "npm install" npm install --no-save --no-fund --no-audit
fi

# --- Temporal CLI (dev server) from its Go module ----------------------------------------------
if [ ! -x "$TEMPORAL_BIN" ]; then
  need go "Install Go ≥ 1.25 (https://go.dev/dl) — the Temporal CLI is built from its Go module."
  step "Temporal CLI v$TEMPORAL_CLI_VERSION from the Go module proxy (first time: a few minutes)"
  mkdir -p "$(dirname "$TEMPORAL_BIN")"
  with_progress "go install temporal" env GOBIN="$(dirname "$TEMPORAL_BIN")" CGO_ENABLED=0 GOFLAGS=-mod=mod \
    go install -v -trimpath "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
fi

# --- Temporal server and its SQL schema tool, for `dondoc cluster up` ----------------------------
# Built from the server's own Go module (its go.mod has no replace directives). Each binary is installed into a
# temporary folder and moved into place only when complete, so an interrupted build is simply redone.
for tool in server sql; do
  if [ ! -x "$TEMPORAL_SERVER_DIR/$tool" ]; then
    need go "Install Go ≥ 1.25 (https://go.dev/dl) — the Temporal server is built from its Go module."
    case $tool in
      server) pkg="go.temporal.io/server/cmd/server" ;;
      sql) pkg="go.temporal.io/server/cmd/tools/sql" ;;
    esac
    step "Temporal $tool v$TEMPORAL_SERVER_VERSION from the Go module proxy (first time: several minutes)"
    rm -rf "$TEMPORAL_SERVER_DIR/.tmp-$tool" && mkdir -p "$TEMPORAL_SERVER_DIR/.tmp-$tool"
    with_progress "go install temporal $tool" env GOBIN="$TEMPORAL_SERVER_DIR/.tmp-$tool" CGO_ENABLED=0 GOFLAGS=-mod=mod \
      go install -v -trimpath "$pkg@v$TEMPORAL_SERVER_VERSION"
    mv "$TEMPORAL_SERVER_DIR/.tmp-$tool/$tool" "$TEMPORAL_SERVER_DIR/$tool"
    rm -rf "$TEMPORAL_SERVER_DIR/.tmp-$tool"
  fi
done

# --- Temporal time-skipping test server (Java) from Maven Central ------------------------------
if [ ! -x "$TEST_SERVER_DIR/test-server" ]; then
  need java "Install a JDK ≥ 8 (e.g. apt-get install openjdk-17-jre-headless)."
  need mvn "Install Maven (e.g. apt-get install maven)."
  step "Temporal test server $TEST_SERVER_VERSION from Maven Central"
  rm -rf "$TEST_SERVER_DIR.tmp" && mkdir -p "$TEST_SERVER_DIR.tmp"
  cat >"$TEST_SERVER_DIR.tmp/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dondoc</groupId><artifactId>temporal-test-server-classpath</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>$TEST_SERVER_VERSION</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-nop</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
POM
  with_progress "maven copy-dependencies" mvn -B -f "$TEST_SERVER_DIR.tmp/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$TEST_SERVER_DIR.tmp/lib"
  # The SDK gives the server about 5 s to answer and kills the process it started, so the launcher
  # must `exec` java. With C1-only JIT and the serial collector it answers in about 0.5 s on 2 cores.
  cat >"$TEST_SERVER_DIR.tmp/test-server" <<'LAUNCH'
#!/usr/bin/env bash
d="$(cd "$(dirname "$0")" && pwd)"
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$d/lib/*" io.temporal.testserver.TestServer "$@"
LAUNCH
  chmod +x "$TEST_SERVER_DIR.tmp/test-server"
  rm -rf "$TEST_SERVER_DIR" && mv "$TEST_SERVER_DIR.tmp" "$TEST_SERVER_DIR"
fi

# --- Administrative units from PyPI: 34 provinces, 3,321 communes, pre-2025 successors -----------
# The PyPI package vietnam-provinces (GPL-3.0-or-later) is fetched here, never copied into the repository;
# scripts/extract-admin-units.py reads the wheel (as a zip, without running its code: the package asks for
# Python >= 3.12, any python3 reads it) and writes what admin-units/ needs to .cache/admin-units.json.
# 2026.9.0 is the first version that ships the pre-2025 units and the 2025 conversion tables.
ADMIN_UNITS_VERSION=2026.9.0
ADMIN_UNITS_FORMAT=1
ADMIN_UNITS_JSON="$CACHE/admin-units.json"
ADMIN_UNITS_WHEEL_DIR="$CACHE/vietnam-provinces/$ADMIN_UNITS_VERSION"
ADMIN_UNITS_WHEEL="$ADMIN_UNITS_WHEEL_DIR/vietnam_provinces-$ADMIN_UNITS_VERSION-py3-none-any.whl"
if ! grep -q "\"version\":\"$ADMIN_UNITS_VERSION\",.*\"format\":$ADMIN_UNITS_FORMAT" "$ADMIN_UNITS_JSON" 2>/dev/null; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      step "Debian packages: python3 python3-pip (to fetch the administrative units from PyPI)"
      with_progress "apt-get update" apt-get update
      with_progress "apt-get install python3-pip" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-pip
    fi
    need python3 "Install Python 3 with pip (e.g. apt-get install python3 python3-pip): the administrative units come from the PyPI package vietnam-provinces."
    python3 -m pip --version >/dev/null 2>&1 ||
      fail "cần pip của Python 3 nhưng không tìm thấy (pip for python3 is required): apt-get install python3-pip"
  fi
  step "Administrative units: vietnam-provinces $ADMIN_UNITS_VERSION from PyPI (GPL-3.0-or-later, kept in .cache only)"
  if [ ! -f "$ADMIN_UNITS_WHEEL" ]; then
    rm -rf "$ADMIN_UNITS_WHEEL_DIR.tmp" && mkdir -p "$ADMIN_UNITS_WHEEL_DIR.tmp"
    with_progress "pip download vietnam-provinces" python3 -m pip download --no-deps --only-binary=:all: \
      --python-version 3.12 -d "$ADMIN_UNITS_WHEEL_DIR.tmp" "vietnam-provinces==$ADMIN_UNITS_VERSION"
    rm -rf "$ADMIN_UNITS_WHEEL_DIR" && mv "$ADMIN_UNITS_WHEEL_DIR.tmp" "$ADMIN_UNITS_WHEEL_DIR"
  fi
  python3 scripts/extract-admin-units.py "$ADMIN_UNITS_WHEEL" "$ADMIN_UNITS_JSON" ||
    fail "could not extract the administrative units from $ADMIN_UNITS_WHEEL"
fi

# --- Debian packages the tests drive: Chromium (web), LibreOffice and poppler (report previews), --
# --- poppler and tesseract (plan intake from PDF and scanned PDF), PostgreSQL (the Temporal server of --
# --- `dondoc cluster up`, the mail ledger) -------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v libreoffice >/dev/null 2>&1 || missing+=(libreoffice-writer libreoffice-calc)
command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# Plan intake: scanned PDFs are read by OCR (tesseract with its Vietnamese model); the scanned-PDF test
# wraps page images into an image-only PDF with img2pdf.
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx vie || missing+=(tesseract-ocr-vie)
command -v img2pdf >/dev/null 2>&1 || missing+=(img2pdf)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -qi liberation || missing+=(fonts-liberation)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "Debian packages: ${missing[*]}"
    with_progress "apt-get update" apt-get update
    with_progress "apt-get install" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  else
    printf 'dondoc setup: thiếu gói Debian (missing Debian packages): %s — browser, report and PDF intake tests need them: sudo apt-get install %s\n' "${missing[*]}" "${missing[*]}" >&2
  fi
fi

# --- TypeScript -------------------------------------------------------------------------------
step "compile TypeScript"
npx --no-install tsc -p tsconfig.build.json

cat >"$CACHE/paths.json" <<JSON
{ "temporalCli": "$TEMPORAL_BIN", "testServer": "$TEST_SERVER_DIR/test-server", "temporalServer": "$TEMPORAL_SERVER_DIR/server", "temporalSql": "$TEMPORAL_SERVER_DIR/sql" }
JSON
step "ready"
