# pinready: `make example` shows the whole product offline; `make test` runs
# every test. Both install Chromium and ffmpeg first when they are missing.
GO ?= go
export GOTOOLCHAIN ?= auto
# `make fuzz` explores new random inputs of each fuzz target, on purpose and
# never inside `make test` (whose answer must not change from run to run).
# The budget is a count of executions, not a duration: a -fuzztime duration
# races Go 1.26's fuzz coordinator at the deadline and fails with "context
# deadline exceeded" and no crasher (golang/go#75804, fixed in Go 1.27).
FUZZTIME ?= 10000x

.PHONY: build test example deps test-deps vet fuzz bench clean

build: deps
	$(GO) build -buildvcs=auto -o pinready .

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

example: build
	./pinready example --out example-out

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Deterministic: go test runs every fuzz target's seed corpus (f.Add seeds
# and testdata/fuzz/) as ordinary tests, and no random fuzzing.
test: test-deps vet
	$(GO) test -count=1 -timeout 30m ./...

# Random exploration, run on purpose: FUZZTIME executions of each target.
# A crasher lands in testdata/fuzz/TARGET/; commit it with its fix, and every
# `make test` checks it from then on.
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

bench: build
	bench/run.sh

clean:
	rm -rf pinready example-out pinready-out
