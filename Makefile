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
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
TAURI := ../../ui/node_modules/.bin/tauri
PACKAGES := target/packages

.PHONY: run test setup system-packages node-packages tauri-driver ui app rust-tests ui-tests e2e bundle package-test bench bench-report bench-backup bench-search bindings

run: setup ui
	cargo build -p mrc-desk
	$(APP)

test: setup ui rust-tests ui-tests app e2e package-test

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

# The installable packages (.deb and .rpm, release build) in target/release/bundle/.
bundle: setup
	(cd src-tauri/app && $(TAURI) build --bundles deb,rpm)
	ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

# Installs the .deb on this machine, upgrades it with a newer build of the
# same sources (version $(VERSION)+upgrade.1), removes it: see tests/package.
package-test: bundle
	cargo build -p mrc-cli
	rm -rf $(PACKAGES) && mkdir -p $(PACKAGES)
	cp target/release/bundle/deb/"MRC Desk_$(VERSION)"_*.deb $(PACKAGES)/mrc-desk-$(VERSION).deb
	(cd src-tauri/app && $(TAURI) build --bundles deb --config '{"version": "$(VERSION)+upgrade.1"}')
	cp target/release/bundle/deb/"MRC Desk_$(VERSION)+upgrade.1"_*.deb $(PACKAGES)/mrc-desk-newer.deb
	cd tests && MRC_DEB_OLD=$(CURDIR)/$(PACKAGES)/mrc-desk-$(VERSION).deb MRC_DEB_NEW=$(CURDIR)/$(PACKAGES)/mrc-desk-newer.deb $(XVFB) npm run test:package

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

# Search, the duplicate check at registration and saving, with the check's
# recall and false alarms on the 2% planted duplicates.
bench-search:
	cargo run --release -p mrc-cli -- bench-search --migrants $(MIGRANTS) $(KEEP)

# Rewrites ui/src/lib/generated/bindings.ts after a change to a Rust type or command.
bindings: ui
	UPDATE_BINDINGS=1 cargo test -p mrc-desk bindings
