# READI developer tasks. `make help` lists them.

GO          ?= go
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
FUZZTIME    ?= 20s

# package:FuzzTarget pairs run by `make fuzz`.
FUZZ_TARGETS = ./internal/catalog:FuzzLoad ./internal/grading:FuzzGrade ./api:FuzzAttemptPayload ./internal/admin:FuzzGIFT

# The start of an import line: optional `import`, optional alias, the quote.
IMPORT_RE = ^[[:space:]]*(import[[:space:]]+)?([A-Za-z_.][A-Za-z0-9_]*[[:space:]]+)?"

.PHONY: help run test test-pg lint fmt-check vet depcheck build bench fuzz clean

help:
	@echo "make run       start READI on :8080 (go run .)"
	@echo "make test      the whole suite on SQLite (go test ./...)"
	@echo "make test-pg   the whole suite on SQLite and PostgreSQL ($(PG_TEST_URL))"
	@echo "make lint      gofmt check, go vet, dependency-direction check"
	@echo "make build     bin/readi (needs a C compiler: cgo for SQLite)"
	@echo "make bench     benchmarks of the internal packages"
	@echo "make fuzz      $(FUZZTIME) of each fuzz target"
	@echo "make clean     remove build output"

run:
	$(GO) run .

test:
	$(GO) test ./...

test-pg:
	READI_TEST_DATABASE_URL='$(PG_TEST_URL)' $(GO) test -count=1 ./...

lint: fmt-check vet depcheck

fmt-check:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt -w needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The dependency direction of docs/ARCHITECTURE.md, checked on non-test
# files (tools under cmd/, such as the load tester, are exempt): only
# internal/store imports GORM, only api imports Fiber, no internal package
# but the composition root (internal/cli) imports api, and the pure packages
# (grading, progress, model) do no I/O.
depcheck:
	@fail=0; \
	gofiles() { find "$$@" -name '*.go' ! -name '*_test.go' ! -path './cmd/*' ! -path './.git/*' 2>/dev/null; }; \
	check() { if [ -n "$$2" ]; then echo "depcheck: $$1"; echo "$$2" | sed 's/^/  /'; fail=1; fi; }; \
	check "only internal/store may import gorm.io:" \
	  "$$(gofiles . | grep -v '^./internal/store/' | xargs -r grep -lE '$(IMPORT_RE)gorm\.io/')"; \
	check "only api may import gofiber:" \
	  "$$(gofiles . | grep -v '^./api/' | xargs -r grep -lE '$(IMPORT_RE)github\.com/gofiber/')"; \
	check "internal packages other than internal/cli must not import api:" \
	  "$$(gofiles ./internal | grep -v '^./internal/cli/' | xargs -r grep -lE '$(IMPORT_RE)github\.com/readi-platform/readi/api"')"; \
	check "internal/grading, internal/progress and internal/model must not import os, net or database/sql:" \
	  "$$(gofiles ./internal/grading ./internal/progress ./internal/model | xargs -r grep -lE '$(IMPORT_RE)(os|os/exec|os/signal|net|net/http|net/http/[a-z/]+|database/sql|database/sql/driver|syscall)"')"; \
	if [ $$fail -eq 0 ]; then echo "depcheck: ok"; fi; \
	exit $$fail

build:
	CGO_ENABLED=1 $(GO) build -o bin/readi .

bench:
	$(GO) test -run '^$$' -bench . ./internal/...

# Every target must exist: go test -fuzz passes when nothing matches, so a
# missing target is reported here instead of being skipped in silence.
fuzz:
	@fail=0; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  if ! $(GO) test -list "^$${name}\$$" "$$pkg" 2>/dev/null | grep -qx "$$name"; then \
	    echo "fuzz: $$name not found in $$pkg"; fail=1; continue; \
	  fi; \
	  echo "fuzz: $$name ($$pkg) for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$${name}\$$" -fuzztime $(FUZZTIME) "$$pkg" || fail=1; \
	done; exit $$fail

clean:
	rm -rf bin
