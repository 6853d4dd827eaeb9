# pinready: `make example` shows the whole product offline; `make test` runs
# every test. Both install Chromium and ffmpeg first when they are missing
# (Debian); `make build` needs only Go, on any system.
GO ?= go
export GOTOOLCHAIN ?= auto
# `make fuzz` explores new random inputs of each fuzz target, on purpose and
# never inside `make test` (whose answer must not change from run to run).
# The budget is a count of executions, not a duration: a -fuzztime duration
# races Go 1.26's fuzz coordinator at the deadline and fails with "context
# deadline exceeded" and no crasher (golang/go#75804, fixed in Go 1.27).
FUZZTIME ?= 10000x

.PHONY: build test test-short example deps test-deps vet lint cross fuzz bench clean man \
	release-check release-snapshot release-schema image

# Builds leave urfave/cli's Markdown man-page writer out: `pinready man`
# prints the page generated at build time (internal/cli/pinready.1), and the
# writer's Markdown parser built its tables at every start of every command.
BUILD_TAGS = urfave_cli_no_docs

build:
	CGO_ENABLED=0 $(GO) build -tags $(BUILD_TAGS) -trimpath -buildvcs=auto -o pinready .

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

example: deps build
	./pinready example --out example-out

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# staticcheck, pinned in a module of its own (tools/staticcheck/go.mod) like
# GoReleaser below, so that pinready's go.mod holds only what pinready
# imports. Built from the Go module proxy the first time (seconds), then
# reused; a clean run over the tree takes under a minute of CPU, a warm one
# seconds (it caches per package). A finding that is right as written is
# silenced where it stands, with its reason: //lint:ignore CHECK reason.
STATICCHECK = build/staticcheck
$(STATICCHECK): tools/staticcheck/go.mod tools/staticcheck/go.sum
	$(GO) build -C tools/staticcheck -o $(CURDIR)/$(STATICCHECK) honnef.co/go/tools/cmd/staticcheck

lint: $(STATICCHECK)
	$(STATICCHECK) ./...

# Deterministic: go test runs every fuzz target's seed corpus (f.Add seeds
# and testdata/fuzz/) as ordinary tests, and no random fuzzing.
test: test-deps vet lint cross
	$(GO) test -count=1 -timeout 30m ./...

# The inner loop while editing: every test but the ones that run Chromium,
# ffmpeg or OCR (internal/testenv skips them under -short), in under a
# minute, cached per package. `make test` stays the gate: run it before
# pushing.
test-short:
	$(GO) test -short ./...

# Every release target compiles (.goreleaser.yaml builds the same list, with
# the same CGO_ENABLED=0, -trimpath and BUILD_TAGS; release_test.go keeps them equal):
# darwin cannot be tested here, but it must build. Four builds into
# /dev/null: a few minutes the first time, seconds once Go's cache has them.
CROSS_TARGETS = linux/amd64 linux/arm64 darwin/amd64 darwin/arm64
cross:
	@for t in $(CROSS_TARGETS); do \
	  echo "cross-compile $$t"; \
	  CGO_ENABLED=0 GOOS=$${t%/*} GOARCH=$${t#*/} $(GO) build -tags $(BUILD_TAGS) -trimpath -o /dev/null . || exit 1; \
	done

# build/man/pinready.1 (and .gz) and build/completions/, as releases ship them.
man:
	@scripts/release-extras.sh build

# GoReleaser, pinned in a module of its own (tools/goreleaser/go.mod) so that
# pinready's go.mod holds only what pinready imports. Built once (a few
# minutes: it is large), then reused.
GORELEASER = build/goreleaser
$(GORELEASER): tools/goreleaser/go.mod tools/goreleaser/go.sum
	$(GO) build -C tools/goreleaser -o $(CURDIR)/$(GORELEASER) github.com/goreleaser/goreleaser/v2

# The real `goreleaser check` (the gate validates against its schema instead).
release-check: $(GORELEASER)
	$(GORELEASER) check

# Every archive, the checksums file and the stamped binaries into dist/,
# published nowhere.
release-snapshot: $(GORELEASER)
	$(GORELEASER) release --snapshot --clean
	@cat dist/checksums.txt

# After a GoReleaser upgrade in tools/goreleaser/go.mod: the schema the gate
# validates .goreleaser.yaml against.
release-schema: $(GORELEASER)
	v=$$(cd tools/goreleaser && $(GO) list -m -f '{{.Version}}' github.com/goreleaser/goreleaser/v2) && \
	  $(GORELEASER) jsonschema > tools/goreleaser/goreleaser-$$v.schema.json

# The container image (Dockerfile), built and smoke-tested: it runs
# `pinready example` inside and checks that the video plays. Needs a Docker
# daemon; never part of `make test`.
image:
	scripts/image.sh $(IMAGE)

# Random exploration, run on purpose: FUZZTIME executions of each target.
# A crasher lands in testdata/fuzz/TARGET/; commit it with its fix, and every
# `make test` checks it from then on.
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

bench: build
	bench/run.sh

clean:
	rm -rf pinready example-out pinready-out build dist
