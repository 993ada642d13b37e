#!/usr/bin/env bash
# The multi-core scaling runs issue 7 asks for where a machine with many
# cores is lent: echo (and HTTP where wrk is installed) with 1, 2, 4 and 8
# loops, as many of those as the machine has CPUs for (N loops need N+1),
# against gnet and the C floor (if gcc is there), sockloop on both backends.
# It builds nothing Go: build ./compare first where the modules are
# reachable (go build -o compare .) and carry it. About 6 minutes on 16 CPUs
# with the defaults.
#
#	bash scale.sh [OUT_DIR]        (default ../results)
#	IMPLS=gnet,netpoll ROUNDS=3 DUR=3s bash scale.sh
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-../results}
mkdir -p "$out"
ncpu=$(nproc)
setups=scale1
for n in 2 4 8; do
	if ((ncpu >= n + 1)); then setups+=",scale$n"; fi
done
impls=${IMPLS:-sockloop-uring,gnet}
if command -v gcc >/dev/null; then impls+=",c"; fi
sysdur=0
if command -v perf >/dev/null; then sysdur=2s; fi
only=echo
if command -v wrk >/dev/null; then only=""; fi
exec ./compare run -setup "$setups" -only "$only" -impls "$impls" \
	-rounds "${ROUNDS:-2}" -dur "${DUR:-2s}" -sysdur "$sysdur" -sysrounds 1 \
	-out "$out" -note "scaling runs on $ncpu CPUs ($(uname -r))"
