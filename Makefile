# MRC Desk. Two commands do everything on a fresh Debian or Ubuntu machine:
#   make run    installs what is missing, builds, and starts the app
#   make test   installs what is missing and runs every test
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := build-essential pkg-config curl file libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev \
	librsvg2-dev libssl-dev webkit2gtk-driver xvfb xauth imagemagick fonts-dejavu-core poppler-utils
APP := target/debug/mrc-desk
XVFB := xvfb-run -a -s "-screen 0 1366x768x24"

.PHONY: run test setup system-packages node-packages tauri-driver ui app rust-tests ui-tests e2e bench bench-report bench-backup bindings

run: setup ui
	cargo build -p mrc-desk
	$(APP)

test: setup ui rust-tests ui-tests app e2e

setup: system-packages node-packages tauri-driver

# Installs only the Debian packages that are missing, so a second run is instant.
system-packages:
	missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done)
	# Node.js only when there is none: a Node.js from another source already brings npm.
	command -v node >/dev/null || missing="$$missing nodejs npm"
	if [ -n "$$missing" ]; then
	  echo "Installing: $$missing"
	  $(SUDO) apt-get update
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing
	fi
	command -v cargo >/dev/null || { echo "Rust is needed: install it with rustup (https://rustup.rs) and run again."; exit 1; }
	node -e 'const [M, m] = process.versions.node.split(".").map(Number); if (M < 20 || (M === 20 && m < 19)) { console.error("Node.js 20.19 or newer is needed, found " + process.version); process.exit(1); }'

node-packages:
	[ -d ui/node_modules ] || npm ci --prefix ui
	[ -d tests/node_modules ] || npm ci --prefix tests

tauri-driver:
	command -v tauri-driver >/dev/null || cargo install tauri-driver --locked

ui:
	npm --prefix ui run build

app: ui
	cargo build -p mrc-desk

rust-tests: ui
	cargo test --workspace
	# The core must never depend on Tauri.
	! cargo tree -p mrc-core -e normal --prefix none | grep -E '^tauri'

ui-tests:
	npm --prefix ui run check
	npm --prefix ui test

e2e: app
	cd tests && $(XVFB) npm test

# The figures of the foundation issue, on a demo centre of 10,000 migrants.
bench:
	cargo run --release -p mrc-cli -- bench

# The monthly report, and a backup and restore, at 10,000 / 100,000 /
# 1,000,000 migrants (MIGRANTS=...). KEEP_IN=DIR keeps the generated
# database there and reuses it (a million migrants take an hour to generate).
MIGRANTS ?= 100000
KEEP = $(if $(KEEP_IN),--keep-in $(KEEP_IN))
bench-report:
	cargo run --release -p mrc-cli -- bench-report --migrants $(MIGRANTS) $(KEEP)

bench-backup:
	cargo run --release -p mrc-cli -- bench-backup --migrants $(MIGRANTS) --runs 3 $(KEEP)
	cargo run --release -p mrc-cli -- bench-backup --migrants $(MIGRANTS) --runs 3 $(KEEP) --cold

# Rewrites ui/src/lib/generated/bindings.ts after a change to a Rust type or command.
bindings: ui
	UPDATE_BINDINGS=1 cargo test -p mrc-desk bindings
