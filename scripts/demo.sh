#!/usr/bin/env bash
# Builds aiguard and runs it on a real example: a throwaway repository whose
# pull-request-style range adds (fake, generated) credentials, personal data,
# risky code and a planted prompt injection, committed with AI co-author trailers.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/bin"
go build -tags gore2regex -o "$root/bin/aiguard" "$root/cmd/aiguard"
demo="$(mktemp -d)/demo-repo"
(cd "$root" && go run ./scripts/demorepo "$demo")
echo "Scanning the pull-request range main..feature of $demo" >&2
set +e
"$root/bin/aiguard" scan --repo "$demo" --range main..feature --sarif "$demo.sarif" --json "$demo.json" "$@"
code=$?
set -e
echo "exit code $code (1 = blocked); SARIF: $demo.sarif, JSON: $demo.json" >&2
