# salesbot developer tasks. `make test` is the one command that sets up a
# fresh machine (Postgres included) and runs every check and test.

GO      ?= go
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# Extra go test arguments, e.g. make test ARGS='-run TestMoveStage ./store/'
ARGS    ?=
# Where `salesbot run` keeps its embedded Postgres cluster.
DATA_DIR ?= data

# Loads .env into the environment of the command that follows, if present.
LOAD_ENV := if [ -f .env ]; then set -a; . ./.env; set +a; fi;

.DEFAULT_GOAL := help
.PHONY: help build run demo-data migrate test bench fuzz fmt vet clean clean-data

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

build: ## build bin/salesbot, stamped with the git version
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/salesbot ./cmd/salesbot

# Without Slack tokens, run starts the local Slack simulator (salesbot dev)
# instead of connecting to a workspace.
run: build ## build and run the bot (.env is loaded; no tokens: the local Slack simulator; no DATABASE_URL: embedded Postgres)
	@$(LOAD_ENV) if [ -z "$$SLACK_BOT_TOKEN$$SLACK_APP_TOKEN" ]; then exec bin/salesbot dev; else exec bin/salesbot run; fi

demo-data: build ## fill the simulator's workspace (or --team T via ARGS) with a demo pipeline
	@$(LOAD_ENV) exec bin/salesbot demo-data $(ARGS)

migrate: build ## apply the database schema (.env is loaded)
	@$(LOAD_ENV) exec bin/salesbot migrate

test: ## vet, gofmt check and every test, with a throwaway Postgres
	bash scripts/test $(ARGS)

# How long each fuzz target runs under make fuzz.
FUZZTIME ?= 30s

fuzz: ## run every fuzz target for FUZZTIME (default 30s) each
	@for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

bench: ## benchmarks, with the same throwaway Postgres
	bash scripts/test --bench $(ARGS)

fmt: ## format the Go code
	$(GO) fmt ./...

vet: ## go vet
	$(GO) vet ./...

clean: ## remove build output (keeps the data folder)
	rm -rf bin/ *.test *.out

clean-data: ## stop the embedded Postgres and delete the data folder (and the cluster it points to)
	$(GO) run ./internal/testdb remove $(DATA_DIR)/postgres
	rm -rf $(DATA_DIR)
