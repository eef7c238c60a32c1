# Dealdesk. `make help` lists the targets.
SHELL := /usr/bin/env bash
GO    ?= go
TOOL  := $(GO) tool -modfile=tools/go.mod

.DEFAULT_GOAL := help

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

.PHONY: run
run: ## start the console (private Postgres and sandbox when nothing is configured)
	@scripts/run.sh

.PHONY: test
test: ## run the whole test suite with -race (private Postgres, Chromium installed if missing)
	@scripts/test.sh

.PHONY: chaos
chaos: ## the fault campaign (TestChaos) at 1,200 orders; figures go to bench/RESULTS.md
	@TEST_RACE=0 CHAOS_ORDERS=$${CHAOS_ORDERS:-1200} CHAOS_DURATION=$${CHAOS_DURATION:-2m} CHAOS_SETTLE=$${CHAOS_SETTLE:-5m} \
		scripts/test.sh -run '^TestChaos$$' -v -timeout 30m ./internal/e2e/

.PHONY: screenshots
screenshots: ## screenshots of the pages at 1366 and 390 px wide, into test-artifacts/screenshots/
	@DEALDESK_SCREENSHOTS=$(CURDIR)/test-artifacts/screenshots TEST_RACE=0 \
		scripts/test.sh -run '^TestPagesFitDesktopAndPhone$$' -count=1 ./internal/web/browsertest/
	@echo "screenshots: test-artifacts/screenshots/"

.PHONY: generate
generate: ## regenerate templ and sqlc code
	$(TOOL) templ generate -path web/templates
	$(TOOL) sqlc generate

.PHONY: verify
verify: generate ## fail when generated code, templ formatting, go.mod, gofmt or vet is not clean
	$(TOOL) templ fmt web/templates
	git diff --exit-code -- web/templates internal/db/sqlcgen
	@test -z "$$(git status --porcelain -- web/templates internal/db/sqlcgen)" || { git status --porcelain -- web/templates internal/db/sqlcgen; echo "generated files are not committed"; exit 1; }
	@$(GO) mod tidy -diff || { echo "go.mod or go.sum is not tidy: run go mod tidy"; exit 1; }
	$(MAKE) lint

.PHONY: lint
lint: ## gofmt, go vet and golangci-lint (.golangci.yml says what and why)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(TOOL) golangci-lint run --allow-parallel-runners ./...

.PHONY: fuzz
fuzz: ## every fuzz target for FUZZTIME each (default 1m; CI runs 4s each)
	@FUZZTIME=$${FUZZTIME:-1m} scripts/fuzz.sh

.PHONY: bench
bench: ## every benchmark figure in one run (history queries, sending, pages under load) into bench/RESULTS.md
	@scripts/bench.sh

.PHONY: build
build: ## build bin/console
	$(GO) build -o bin/console ./cmd/console
