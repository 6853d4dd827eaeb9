# pinready: `make example` shows the whole product offline; `make test` runs
# every test. Both install Chromium and ffmpeg first when they are missing.
GO ?= go
export GOTOOLCHAIN ?= auto
# Short, bounded fuzzing of each fuzz target inside `make test`: a count of
# executions, not a duration. A -fuzztime duration races Go 1.26's fuzz
# coordinator at the deadline and fails with "context deadline exceeded" and
# no crasher (golang/go#75804, fixed in Go 1.27); a count has no deadline.
FUZZTIME ?= 10000x

.PHONY: build test example deps test-deps vet fuzz bench clean

build: deps
	$(GO) build -o pinready .

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

# The fuzz targets run first so that go test's summary closes the output.
test: test-deps vet
	@$(MAKE) --no-print-directory fuzz
	$(GO) test -count=1 ./...

# Each fuzz target runs FUZZTIME executions on top of its seed corpus.
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

bench: build
	bench/run.sh

clean:
	rm -rf pinready example-out pinready-out
