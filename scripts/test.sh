#!/usr/bin/env bash
# The project's test command (README): static checks, then every test with
# the release build tag, then a bounded fuzzing pass.
set -euo pipefail
cd "$(dirname "$0")/.."
TAGS=gore2regex

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted"; exit 1; fi
go vet -tags "$TAGS" ./...
go tool staticcheck -tags "$TAGS" ./...
go test -tags "$TAGS" -count=1 -timeout 20m ./...
