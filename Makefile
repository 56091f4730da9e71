# Infracanvas: two commands, `make serve` and `make test`.
# Both install whatever is missing first (scripts/setup.sh, idempotent).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.NOTPARALLEL:
.DEFAULT_GOAL := help

ADDRESS ?= 127.0.0.1
PORT ?= 8080

# wasm-opt (npm binaryen) and trunk / wasm-bindgen (cargo install) for trunk.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Trunk must not reach the network on its own (update check, tool downloads).
export TRUNK_SKIP_VERSION_CHECK := true

.PHONY: help setup serve test test-rust check-exports fuzz fuzz-smoke fetch build e2e bench bench-browser clean

help:
	@echo "make serve   install what is missing, then serve the page on http://$(ADDRESS):$(PORT)"
	@echo "make test    install what is missing, then cargo test, release page build, browser tests"
	@echo "make setup   only install (wasm32 target, trunk, wasm-bindgen-cli, npm ci, chromium)"
	@echo "make build   release page build into dist/"
	@echo "make e2e     release page build, then the browser tests in tests/e2e"
	@echo "make bench   criterion benchmarks, then the browser benchmark (target/bench/*.md)"
	@echo "make fuzz    cargo fuzz, each target for FUZZ_SECONDS (default 60; nightly toolchain)"

## Install what is missing (each step checks first).
setup:
	scripts/setup.sh

## The page, rebuilt on change, on http://$(ADDRESS):$(PORT).
serve: setup fetch
	trunk serve --release --address $(ADDRESS) --port $(PORT)

## Every test: native Rust tests (injection, limits, secrets and the kept fuzz inputs among
## them), the exports checked by their consumers, a 10-second fuzz smoke per target, the
## release page build, the browser tests.
test: setup test-rust check-exports fuzz-smoke e2e

test-rust:
	cargo test --locked

## The five templates exported by the CLI and checked by kubectl kustomize,
## kubernetes-validate (strict) and the Compose schema; SVG pictures by xmllint and
## rsvg-convert (and imported back); Mermaid files for the browser check.
check-exports:
	scripts/check-exports.sh

# Trunk runs cargo --offline (Trunk.toml): fetch the locked crates first.
fetch:
	cargo fetch --locked

build: setup fetch
	trunk build --release

e2e: build
	if [ -d target/exports/mermaid ]; then export MERMAID_DIR=target/exports/mermaid; fi; scripts/e2e.sh

## Figures, not pass/fail (never part of `make test`): criterion (validation, exports, share
## codec, JSON load at 100 / 1,000 / 10,000 nodes), then the release page in headless Chromium
## at 300 … 5,000 nodes (scripts/bench-browser.mjs). Tables in target/bench/rust.md, browser.md.
## Fuzzing (fuzz/, scripts/fuzz.sh): crashes land in fuzz/artifacts/<target>/; keep each as a
## regression input under tests/fuzz_regressions/<target>/.
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The smoke needs the nightly toolchain, which rustup cannot fetch on a machine without
# network: where it is missing the smoke says so and the rest of `make test` goes on.
fuzz-smoke:
	if cargo +nightly --version >/dev/null 2>&1; then scripts/fuzz.sh 10; \
	else echo "==> fuzz smoke NOT RUN: no nightly toolchain (rustup toolchain list)"; fi

bench: build
	cargo bench --locked --bench model
	node scripts/bench-table.mjs
	node scripts/bench-browser.mjs

## Only the browser half of `make bench` (BENCH_SIZES=500,5000 to choose sizes).
bench-browser: build
	node scripts/bench-browser.mjs

clean:
	cargo clean
	rm -rf dist
