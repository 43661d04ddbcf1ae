# Casenotes build, test and packaging. `make help` lists the targets.
#
# The desktop driver (fyne.io/fyne/v2/app, GLFW) needs cgo, a C compiler and the
# X11/GL headers; deps-run and deps-test install them on Debian/Ubuntu.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
# The steps of `test` run in the order written, even under `make -j`.
.NOTPARALLEL:

# A UTF-8 locale: with LANG unset or C, Fyne logs "Error parsing user locale C".
export LANG := en_US.UTF-8
# Fyne's driver is cgo; fail loudly if the C toolchain is missing instead of
# letting the go command silently fall back to CGO_ENABLED=0.
export CGO_ENABLED := 1

GO          ?= go
BIN         := bin/casenotes
# Lowers the passphrase KDF cost in tests only; benchmarks run without it.
TEST_TAGS   := casenotes_testkdf
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
FYNE_TOOL   := fyne.io/tools/cmd/fyne@v1.7.4
# Packages for unit-test, fuzz and bench: `make fuzz PKGS=./crypto/...` narrows them.
PKGS        ?= ./...

# Debian packages: building and running the desktop app ...
RUN_PKGS  := gcc pkg-config libgl1-mesa-dev xorg-dev
# ... and, for tests, a virtual display (xvfb-run needs xauth), screenshots, PDF checks
# (pdftotext, qpdf) and the stock age command that must decrypt bundles.
TEST_PKGS := $(RUN_PKGS) xvfb xauth x11-apps xdotool imagemagick poppler-utils qpdf age

# install_missing installs the Debian packages in $(1) that dpkg does not report
# as installed: apt-get update once, then one apt-get install. Without apt (or
# sudo, when not root) it prints what to install by hand and carries on.
define install_missing
missing=(); \
for p in $(1); do \
  status=$$(dpkg -s "$$p" 2>/dev/null || true); \
  [[ $$status == *"Status: install ok installed"* ]] || missing+=("$$p"); \
done; \
if [ $${#missing[@]} -eq 0 ]; then exit 0; fi; \
sudo=""; \
if [ "$$(id -u)" -ne 0 ]; then \
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else sudo="none"; fi; \
fi; \
if ! command -v apt-get >/dev/null 2>&1 || [ "$$sudo" = none ]; then \
  echo "Cannot install system packages here (no apt-get, or not root and no sudo): please install $${missing[*]} (or your system's equivalents) by hand."; \
  exit 0; \
fi; \
echo "Installing missing packages: $${missing[*]}"; \
export DEBIAN_FRONTEND=noninteractive; \
if ! { $$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq && \
       $$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$${missing[@]}" </dev/null; }; then \
  echo "apt-get could not install $${missing[*]}: please install them by hand."; \
fi
endef

# with_display runs a command under a virtual X server when xvfb-run is installed
# (packages that import Fyne's desktop driver need a display), plainly otherwise.
define with_display
if command -v xvfb-run >/dev/null 2>&1; then xvfb-run -a $(1); else $(1); fi
endef

# fuzz_all runs every fuzz target of the module for $(1) each, minimizing each new
# input for at most $(2) (Go's default, 60 s, lets a target whose seeds are whole
# bundles spend a 10 s smoke minimizing its first find and run no more). `go test -list`
# prints a package's target names and then its "ok <package>" line. A failure is a
# failure unless it is only Go 1.26's deadline race at the end of -fuzztime (a bare
# "context deadline exceeded" with no failing input written, no panic and no test
# error): that one is reported and tolerated.
define fuzz_all
targets=$$($(call with_display,$(GO) test -tags $(TEST_TAGS) -list '^Fuzz' $(PKGS)) | \
  awk '/^Fuzz/ { names[n++] = $$1; next } /^ok / { for (i = 0; i < n; i++) print $$2, names[i]; n = 0 }'); \
if [ -z "$$targets" ]; then echo "no fuzz targets"; exit 0; fi; \
log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
while read -r pkg name; do \
  echo "fuzz $$pkg $$name for $(1)"; \
  if ! $(GO) test -tags $(TEST_TAGS) -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(1) -fuzzminimizetime=$(2) "$$pkg" </dev/null >"$$log" 2>&1; then \
    cat "$$log"; \
    if grep -q 'context deadline exceeded' "$$log" && ! grep -qE 'Failing input written|panic:|_test.go:[0-9]+:' "$$log"; then \
      echo "fuzz $$name: Go 1.26's fuzz coordinator raced its own -fuzztime deadline (golang/go#75804, fixed in Go 1.27); no failing input was found, so this is not a finding"; \
    else \
      exit 1; \
    fi; \
  else \
    tail -n 2 "$$log"; \
  fi; \
done <<< "$$targets"
endef

.PHONY: help deps-run deps-test build run test lint fmt-check vet staticcheck tidy-check \
	unit-test fuzz-smoke fuzz bench package screenshots e2e clean

# help: list the targets.
help:
	@echo "build      compile bin/casenotes (cgo)"
	@echo "run        install run deps, build, open the app on the default vault"
	@echo "test       install test deps, lint, tidy check, tests (KDF cost lowered), 10 s fuzz per target"
	@echo "lint       gofmt, go vet, staticcheck"
	@echo "bench      benchmarks at the real KDF cost; raw output also in bench.out"
	@echo "fuzz       60 s of fuzzing per target"
	@echo "package    Linux bundle from FyneApp.toml into dist/"
	@echo "e2e        end-to-end desktop test: the real binary under Xvfb driven by xdotool (about 70 s)"
	@echo "screenshots  PNGs of the main screens (real app, Xvfb, demo vault) into docs/screenshots/"
	@echo "deps-run   install the Debian packages needed to build and run"
	@echo "deps-test  install those plus xvfb, x11-apps, imagemagick, poppler-utils, qpdf, age"
	@echo "clean      remove build outputs"

# deps-run: C compiler and X11/GL headers for Fyne's cgo driver.
deps-run:
	@$(call install_missing,$(RUN_PKGS))

# deps-test: deps-run plus a virtual display and screenshot/PDF tools for tests.
deps-test:
	@$(call install_missing,$(TEST_PKGS))

# build: the desktop app and command line, one binary.
build:
	$(GO) build -o $(BIN) .

# run: open the desktop app on the default vault location.
run: deps-run build
	./$(BIN)

# test: everything CI checks, in order; the first failing step stops the run. The
# build comes before the tests so the command-line tests, which build the binary
# themselves, find Fyne's cgo objects already compiled (a cold cgo build takes
# minutes on two cores).
test: deps-test lint tidy-check build unit-test fuzz-smoke

# lint: formatting, vet and staticcheck.
lint: fmt-check vet staticcheck

# fmt-check: fail listing the Go files gofmt would change.
fmt-check:
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' \
		-not -path './bin/*' -not -path './dist/*' -print0 | xargs -0 -r gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt would change these files (run gofmt -w):"; echo "$$files"; exit 1; fi

# vet: go vet for the production build and for the test-tagged build.
# Most agencies run Windows and some macOS; nothing here can run either, so the
# packages that build without cgo are at least vetted for them: for Windows every
# one but main (whose window needs cgo), for macOS also not ui (Fyne's macOS
# widgets need cgo there).
CROSS_PKGS = $$($(GO) list ./... | grep -v '^casenotes$$')
DARWIN_PKGS = $$($(GO) list ./... | grep -v -e '^casenotes$$' -e '^casenotes/ui$$')

vet:
	$(GO) vet ./...
	$(GO) vet -tags $(TEST_TAGS) ./...
	CGO_ENABLED=0 GOOS=windows $(GO) vet $(CROSS_PKGS)
	CGO_ENABLED=0 GOOS=darwin $(GO) vet $(DARWIN_PKGS)

# staticcheck: pinned version, run straight from the module proxy (go.mod untouched).
staticcheck:
	$(GO) run $(STATICCHECK) ./...

# tidy-check: go.mod and go.sum must already be tidy (prints the diff if not).
tidy-check:
	$(GO) mod tidy -diff

# unit-test: all tests with the lowered KDF cost, under Xvfb when available.
unit-test:
	@$(call with_display,$(GO) test -tags $(TEST_TAGS) -count=1 -timeout 20m $(PKGS))

# fuzz-smoke: 10 s per fuzz target, enough to catch a parser that panics at once.
fuzz-smoke:
	@$(call fuzz_all,10s,2s)

# fuzz: 60 s per fuzz target; new failing inputs land in the package's testdata/fuzz/.
fuzz:
	@$(call fuzz_all,60s,10s)

# bench: benchmarks at the real KDF cost (no test tag), then the table of design
# targets (docs/PERFORMANCE.md keeps the latest); raw output also in bench.out.
# Then the search benchmark at 10,000 cases and 250,000 notes, with SQLite FTS5 on
# the same text (.ci/bench-search.sh; the seeded vault is kept in .bench/).
# Last, issue 12's scale table at BENCH_SCALE's size (10k, or 50k): seed memory,
# vault size and import against SQLite FTS5, UI stall, dashboard (.ci/bench-scale.sh).
bench: deps-run build
	@$(call with_display,$(GO) test -run='^$$' -bench=. -benchmem $(PKGS)) | tee bench.out
	@awk -f .ci/bench-table.awk bench.out
	@.ci/bench-search.sh
	@.ci/bench-scale.sh

# package: a Linux bundle (tar.xz with binary, icon and .desktop file) in dist/.
# `fyne package` bumps Build in FyneApp.toml and rewrites it after every run; the
# file is put back, so the build number changes only by a deliberate commit.
package: deps-run
	cp FyneApp.toml .FyneApp.toml.keep
	status=0; $(GO) run $(FYNE_TOOL) package -os linux -release || status=$$?; \
	mv -f .FyneApp.toml.keep FyneApp.toml; exit $$status
	mkdir -p dist
	mv -f Casenotes.tar.xz dist/

# screenshots: the real binary under Xvfb on a seeded demo vault; PNGs of the main
# screens into docs/screenshots/ (the README shows them).
screenshots: deps-test build
	.ci/screenshots.sh

# e2e: the end-to-end desktop test (e2e/gui_test.go): the real binary on its own
# Xvfb display, driven with xdotool through onboarding, a case, a long note typed
# at a wrapping width, finalize, addendum, two checklist clicks, lock and unlock,
# then checked through the command line. `build` first compiles Fyne's cgo objects
# so the test's own build (with the lowered KDF cost) is quick. On failure the log
# names a folder with a screenshot of every step. Not part of `test`: it takes
# 65-70 s on an idle two-core machine but up to 160 s on a busy one.
e2e: deps-test build
	CASENOTES_E2E=1 $(GO) test -tags $(TEST_TAGS) -count=1 -timeout 10m -v -run '^TestDesktopEndToEnd$$' ./e2e/

# clean: build outputs only (the Go build and module caches are kept).
clean:
	rm -rf bin dist bench.out Casenotes.tar.xz .bench
