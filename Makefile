GO      ?= go
BIN     := bin/rocksteady
PKGS    := ./...

.PHONY: build run test test-go fuzz-short lint verify clean bench bench-small

FUZZTIME ?= 3s

build: $(BIN)

$(BIN): $(shell find . -name '*.go' -not -path './testdata/*') $(wildcard sql/*.sql policies/*.sql) go.mod go.sum
	$(GO) build -o $(BIN) ./cmd/rocksteady

# The zero-config local stack: PostgreSQL (Docker or local binaries), migrated, on 127.0.0.1:3000.
run: build
	./$(BIN) dev

# Everything a contributor needs, on a real PostgreSQL.
test: lint test-go fuzz-short

test-go:
	$(GO) test -count=1 -timeout 20m $(PKGS)
	ROCKSTEADY_TEST_PREPARED_STATEMENTS=false $(GO) test -count=1 -timeout 20m ./pkg/server/

# Every fuzz target for a bounded time (FUZZTIME each); what they find becomes a test case.
fuzz-short:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	for dir in $$(grep -l '^func Fuzz' $$(git ls-files 'pkg/*_test.go') | xargs -n1 dirname | sort -u); do \
	  (cd $$dir && $(GO) test -c -fuzz=. -o $$tmp/fuzz.test . >/dev/null); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -d' ' -f2); do \
	    echo "fuzz $$dir $$f ($(FUZZTIME))"; \
	    (cd $$dir && $$tmp/fuzz.test -test.run '^$$' -test.fuzz "^$$f$$" -test.fuzztime $(FUZZTIME) -test.fuzzcachedir $$tmp/cache > $$tmp/log 2>&1) || { cat $$tmp/log; exit 1; }; \
	  done; \
	done

# The long versions (issue 9): everything make test runs, then the soak for 10 minutes over
# 1,000 keep-alive connections, the RLS property test with 20,000 operations, and every
# fuzz target for 60 s.
SOAK_DURATION ?= 10m
SOAK_CONNS    ?= 1000
SOAK_RATE     ?= 400
verify: lint test-go
	ROCKSTEADY_SOAK_DURATION=$(SOAK_DURATION) ROCKSTEADY_SOAK_CONNS=$(SOAK_CONNS) ROCKSTEADY_SOAK_RATE=$(SOAK_RATE) \
	  $(GO) test -count=1 -timeout 30m -run '^TestSoak$$' -v ./pkg/server
	ROCKSTEADY_PROPERTY_OPS=20000 $(GO) test -count=1 -timeout 20m -run '^TestRLSPropertyRandomOperations$$' -v ./pkg/server
	$(MAKE) fuzz-short FUZZTIME=60s

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

# Performance against the floor and pgbench (issue 7): writes bench-out/report.md and
# bench-out/latency.png. The PostgreSQL cluster with the dataset is kept in bench-out/ and
# reused when it holds the same dataset; BENCH_FLAGS passes more flags (e.g. --fresh).
BENCH_BIN := bin/rocksteady-bench

$(BENCH_BIN): $(shell find cmd/rocksteady-bench pkg -name '*.go') go.mod go.sum
	$(GO) build -o $(BENCH_BIN) ./cmd/rocksteady-bench

bench: $(BIN) $(BENCH_BIN)
	./$(BENCH_BIN) --size full --rocksteady $(BIN) $(BENCH_FLAGS)

bench-small: $(BIN) $(BENCH_BIN)
	./$(BENCH_BIN) --size small --rocksteady $(BIN) $(BENCH_FLAGS)

clean:
	rm -rf bin
