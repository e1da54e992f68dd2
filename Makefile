GO      ?= go
BIN     := bin/rocksteady
PKGS    := ./...

.PHONY: build run test test-go lint verify clean

build: $(BIN)

$(BIN): $(shell find . -name '*.go' -not -path './testdata/*') $(wildcard sql/*.sql policies/*.sql) go.mod go.sum
	$(GO) build -o $(BIN) ./cmd/rocksteady

# The zero-config local stack: PostgreSQL (Docker or local binaries), migrated, on 127.0.0.1:3000.
run: build
	./$(BIN) dev

# Everything a contributor needs, on a real PostgreSQL.
test: lint test-go

test-go:
	$(GO) test -count=1 -timeout 20m $(PKGS)

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin
