#!/usr/bin/env bash
# Windows tests under Wine: cross-compiles the test binaries of the packages
# given as arguments (default ./poller/) and runs them with wine64.
#
#   bash scripts/wine-test.sh [-race] [-run REGEXP] [PACKAGE...]
#
# -race builds with the race detector (cgo through x86_64-w64-mingw32-gcc);
# the first such build compiles the standard library for it, about a minute
# here.
# Needs wine64 and x86_64-w64-mingw32-gcc; installs them with apt-get when
# missing (CI runs as root on a fresh Debian machine). If they cannot be
# installed (no network, no apt), it says so and exits 0: that is the only
# skip. A failing build or test is a failure.
#
# Go 1.24+ binaries need ProcessPrng from bcryptprimitives.dll, which Wine 8
# lacks; scripts/wine/bcryptprimitives.c is a shim that forwards to advapi32's
# RtlGenRandom, built here and copied into the prefix's system32 (a DLL beside
# the .exe is not searched for it). Before the project's packages, the script
# runs scripts/wine/testdata/echo, a net-package TCP echo, to prove the setup.
#
# Environment: SOCKLOOP_WINEPREFIX (default: a prefix cached under
# ${XDG_CACHE_HOME:-~/.cache}/sockloop), WINE_TEST_TIMEOUT (seconds per test
# binary, default 240).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS=-buildvcs=false

run_re=""
race=()
while [ $# -gt 0 ]; do
	case $1 in
	-run) run_re=$2; shift 2 ;;
	-race) race=(-race); shift ;;
	*) break ;;
	esac
done
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./poller/)
per_binary=${WINE_TEST_TIMEOUT:-240}

step() { printf '\n== wine: %s\n' "$*"; }
skip() {
	printf '\nSKIP wine tests: %s\n' "$*"
	exit 0
}

find_wine() {
	local w
	for w in "$(command -v wine64 || true)" /usr/lib/wine/wine64 "$(command -v wine || true)"; do
		if [ -n "$w" ] && [ -x "$w" ]; then
			echo "$w"
			return 0
		fi
	done
	return 1
}

# --- tools ---------------------------------------------------------------
if ! find_wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
	step "installing wine64 and gcc-mingw-w64-x86-64"
	command -v apt-get >/dev/null || skip "wine64 or mingw gcc missing and there is no apt-get"
	sudo=""
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null || skip "wine64 or mingw gcc missing and not root (no sudo)"
		sudo="sudo -n"
	fi
	export DEBIAN_FRONTEND=noninteractive
	if ! timeout 180 $sudo apt-get update -q; then
		skip "apt-get update failed (no network?)"
	fi
	if ! timeout 420 $sudo apt-get install -y -q --no-install-recommends wine64 gcc-mingw-w64-x86-64; then
		skip "apt-get install wine64 gcc-mingw-w64-x86-64 failed (no network?)"
	fi
fi
wine=$(find_wine) || { echo "wine64 not found after installing it" >&2; exit 1; }
wineserver=$(dirname "$wine")/wineserver
[ -x "$wineserver" ] || wineserver=$(command -v wineserver || echo true)
"$wine" --version || true

# --- prefix and the ProcessPrng shim ----------------------------------------
cache=${XDG_CACHE_HOME:-$HOME/.cache}/sockloop
export WINEPREFIX=${SOCKLOOP_WINEPREFIX:-$cache/wineprefix}
export WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$cache"
work=$(mktemp -d)
cleanup() {
	timeout 30 "$wineserver" -k >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

step "shim DLL"
x86_64-w64-mingw32-gcc -shared -O2 -Wall -o "$work/bcryptprimitives.dll" \
	scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32

if [ ! -f "$WINEPREFIX/system.reg" ] || [ ! -d "$WINEPREFIX/drive_c/windows/system32" ]; then
	step "initialising prefix $WINEPREFIX"
	rm -rf "$WINEPREFIX"
	timeout 180 "$wine" wineboot -i
	timeout 60 "$wineserver" -w || true
fi
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"

# --- tests ---------------------------------------------------------------
fail=0
run_pkg() {
	local pkg=$1 re=$2 name exe
	name=$(echo "$pkg" | tr -c 'A-Za-z0-9_\n' '_')
	exe="$work/$name.test.exe"
	step "go test -c ${race[*]} $pkg (GOOS=windows GOARCH=amd64)"
	local cgo=(CGO_ENABLED=0)
	[ ${#race[@]} -eq 0 ] || cgo=(CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc)
	if ! env GOOS=windows GOARCH=amd64 "${cgo[@]}" timeout 300 go test -c "${race[@]}" -o "$exe" "$pkg"; then
		echo "FAIL: build of $pkg for windows"
		fail=1
		return
	fi
	if [ ! -f "$exe" ]; then
		echo "no test files in $pkg"
		return
	fi
	step "wine $pkg"
	local args=(-test.v -test.count=1 "-test.timeout=$((per_binary - 10))s")
	[ -z "$re" ] || args+=("-test.run=$re")
	# Run in the package's directory, as go test does, so testdata is found.
	if ! (cd "$(go list -f '{{.Dir}}' "$pkg")" && timeout -k 10 "$per_binary" "$wine" "$exe" "${args[@]}"); then
		echo "FAIL: $pkg under wine"
		fail=1
	fi
}

start=$SECONDS
run_pkg ./scripts/wine/testdata/echo ""
if [ $fail -ne 0 ]; then
	echo "the Wine setup itself is broken: a net-package TCP echo failed" >&2
	exit 1
fi
for pkg in "${pkgs[@]}"; do
	run_pkg "$pkg" "$run_re"
done
echo
if [ $fail -ne 0 ]; then
	echo "wine tests FAILED ($((SECONDS - start))s)"
	exit 1
fi
echo "wine tests passed ($((SECONDS - start))s)"
