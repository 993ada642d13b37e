#!/usr/bin/env bash
# Runs every fuzz target in the module for a bounded time each (default 10s).
#
# Go 1.26's fuzzing coordinator can fail a target with a bare "context
# deadline exceeded" as -fuzztime runs out, with no failing input
# (go.dev/issue/75804, fixed in Go 1.27). Such a run is retried once, and
# a failure counts only when the output is something else or the engine
# wrote a reproducer under testdata/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-10s}

# fuzz_once runs one target; it returns 0 on a pass, 1 on a real failure and
# 2 on the coordinator's deadline race.
fuzz_once() {
	local pkg=$1 target=$2 dir=$3 out before after
	before=$(ls "$dir/testdata/fuzz/$target" 2>/dev/null | wc -l)
	if out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$budget" "$pkg" 2>&1); then
		echo "$out" | tail -3
		return 0
	fi
	echo "$out" | tail -20
	after=$(ls "$dir/testdata/fuzz/$target" 2>/dev/null | wc -l)
	if [ "$after" = "$before" ] && echo "$out" | grep -q '^    context deadline exceeded$' &&
		! echo "$out" | grep -q 'Failing input written'; then
		return 2
	fi
	return 1
}

for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
	for target in $targets; do
		echo "fuzz $pkg $target ($budget)"
		rc=0
		fuzz_once "$pkg" "$target" "$dir" || rc=$?
		if [ $rc -eq 2 ]; then
			echo "fuzz: $target: the coordinator's deadline race (go.dev/issue/75804), no input written; once more"
			rc=0
			fuzz_once "$pkg" "$target" "$dir" || rc=$?
			if [ $rc -eq 2 ]; then
				echo "fuzz: $target: the deadline race again, still no failing input: not a failure"
				rc=0
			fi
		fi
		if [ $rc -ne 0 ]; then
			echo "fuzz: $target FAILED"
			exit 1
		fi
	done
done
