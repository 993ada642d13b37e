#!/usr/bin/env bash
# Runs every fuzz target in the module for a bounded time each (default 10s).
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-10s}
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
	for target in $targets; do
		echo "fuzz $pkg $target ($budget)"
		# A real crasher is saved under testdata/fuzz and fails the retry too;
		# the retry only forgives the fuzzing engine's own hiccups on a busy machine.
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" "$pkg" ||
			go test -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" "$pkg"
	done
done
