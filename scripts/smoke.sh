#!/usr/bin/env bash
# Smoke test of the server examples with real clients, on 127.0.0.1 only:
#   examples/http   curl, and wrk with a 16-deep pipeline (scripts/pipeline.lua)
#   examples/redis  redis-cli, and redis-benchmark -P 16
#   examples/proxy  in front of examples/echo, checked by scripts/smokeclient
# It installs nothing: curl, wrk, redis-cli and redis-benchmark must be on
# PATH (Debian: apt-get install -y curl wrk redis-tools). Every client runs
# under a time limit, and the servers are killed on exit. The numbers it
# prints are for information only; nothing here asserts on speed.
#
#   scripts/smoke.sh            # wrk runs 5 s; SMOKE_DURATION=10s for longer
#   SMOKE_BACKEND=io_uring scripts/smoke.sh   # every server on io_uring
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${SMOKE_DURATION:-5s}
loops=${SMOKE_LOOPS:-2}
backend=${SMOKE_BACKEND:-epoll}

missing=()
for tool in go curl wrk redis-cli redis-benchmark timeout; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	echo "smoke: missing on PATH: ${missing[*]} (Debian: apt-get install -y curl wrk redis-tools)" >&2
	exit 1
fi

work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "smoke: FAIL: $*" >&2
	exit 1
}

echo "smoke: building"
for ex in http redis proxy echo; do
	go build -o "$work/$ex" "./examples/$ex"
done
go build -o "$work/smokeclient" ./scripts/smokeclient
client="$work/smokeclient"

mapfile -t ports < <("$client" ports 6)
http_addr=127.0.0.1:${ports[0]}
redis_addr=127.0.0.1:${ports[1]}
echo_addr=127.0.0.1:${ports[2]}
proxy_addr=127.0.0.1:${ports[3]}
proxy_http_addr=127.0.0.1:${ports[4]}
proxy_splice_addr=127.0.0.1:${ports[5]}

# start NAME ARGS...: run a server in the background, output kept for errors.
start() {
	local name=$1
	shift
	"$work/$name" -backend "$backend" "$@" >"$work/$name.log" 2>&1 &
	pids+=("$!")
}
start http -addr "$http_addr" -loops "$loops"
start redis -addr "$redis_addr" -loops "$loops"
start echo -addr "$echo_addr" -loops "$loops"
start proxy -addr "$proxy_addr" -upstream "$echo_addr" -loops "$loops"
# A second proxy, in front of examples/http, for wrk.
"$work/proxy" -backend "$backend" -addr "$proxy_http_addr" -upstream "$http_addr" -loops "$loops" >"$work/proxy-http.log" 2>&1 &
pids+=("$!")
# A third, moving bytes with splice(2) in front of examples/echo.
"$work/proxy" -backend "$backend" -splice -addr "$proxy_splice_addr" -upstream "$echo_addr" -loops "$loops" >"$work/proxy-splice.log" 2>&1 &
pids+=("$!")
"$client" wait "$http_addr" "$redis_addr" "$echo_addr" "$proxy_addr" "$proxy_http_addr" "$proxy_splice_addr" || fail "a server did not start"

summary=()

# --- examples/http -----------------------------------------------------------
echo "smoke: http: curl"
body=$(timeout 10 curl -sS --fail --max-time 5 "http://$http_addr/") || fail "curl GET / failed"
[[ $body == "Hello, World!" ]] || fail "curl GET / answered '$body'"
headers=$(timeout 10 curl -sS --fail --max-time 5 -D - -o /dev/null "http://$http_addr/") || fail "curl -D failed"
for h in Date Content-Type Content-Length; do
	grep -qi "^$h: " <<<"$headers" || fail "GET / lacks $h: $headers"
done
code=$(timeout 10 curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://$http_addr/nope") || true
[[ $code == 404 ]] || fail "GET /nope answered $code, want 404"

echo "smoke: http: wrk, 64 connections, 16-deep pipeline, $duration"
wrk_out=$(timeout 60 wrk -t 2 -c 64 -d "$duration" -s scripts/pipeline.lua "http://$http_addr/" -- 16) ||
	fail "wrk failed: $wrk_out"
echo "$wrk_out" | sed 's/^/    /'
grep -q "Socket errors" <<<"$wrk_out" && fail "wrk reported socket errors"
grep -q "Non-2xx" <<<"$wrk_out" && fail "wrk reported non-2xx responses"
requests=$(awk '/requests in/ {print $1}' <<<"$wrk_out")
[[ ${requests:-0} -gt 0 ]] || fail "wrk completed no requests"
summary+=("http   wrk -c64 pipeline 16: $(awk '/Requests\/sec/ {print $2}' <<<"$wrk_out") req/s, $requests requests, 0 errors")

# --- examples/redis ----------------------------------------------------------
echo "smoke: redis: redis-cli"
rc() { timeout 10 redis-cli -h 127.0.0.1 -p "${redis_addr##*:}" "$@"; }
expect() {
	local want=$1
	shift
	local got
	got=$(rc "$@") || fail "redis-cli $* failed: $got"
	[[ $got == "$want" ]] || fail "redis-cli $* answered '$got', want '$want'"
}
expect PONG PING
expect OK SET smoke:key hello
expect hello GET smoke:key
expect 1 DEL smoke:key smoke:counter
expect 1 INCR smoke:counter
expect 2 INCR smoke:counter
expect 1 EXISTS smoke:counter
expect "ERR unknown command 'nosuch', with args beginning with: 'x' " nosuch x
expect "ERR wrong number of arguments for 'get' command" GET

echo "smoke: redis: redis-benchmark -P 16 -n 100000"
bench_out=$(timeout 120 redis-benchmark -h 127.0.0.1 -p "${redis_addr##*:}" -P 16 -q -n 100000 -t set,get,incr,ping 2>&1) ||
	fail "redis-benchmark failed: $bench_out"
# -q redraws a progress line with carriage returns; keep the final lines.
bench_out=$(tr '\r' '\n' <<<"$bench_out" | grep -E 'requests per second|rror' || true)
echo "$bench_out" | sed 's/^/    /'
grep -qi "error" <<<"$bench_out" && fail "redis-benchmark reported errors"
for t in PING_INLINE PING_MBULK SET GET INCR; do
	grep -q "^$t: .* requests per second" <<<"$bench_out" || fail "redis-benchmark did not finish $t"
done
while read -r line; do
	summary+=("redis  -P 16 $line")
done < <(sed -E 's/, p50=.*//' <<<"$bench_out")

# --- examples/proxy ----------------------------------------------------------
echo "smoke: proxy: echo through examples/proxy, with half-close"
direct=$(timeout 60 "$client" echo "$echo_addr" -conns 8 -bytes $((4 << 20))) || fail "echo direct: $direct"
proxied=$(timeout 60 "$client" echo "$proxy_addr" -conns 8 -bytes $((4 << 20))) || fail "echo through the proxy: $proxied"
ratio=$(awk -v d="${direct%% *}" -v p="${proxied%% *}" 'BEGIN { if (d > 0) printf "%.2f", p / d; else print "n/a" }')
summary+=("echo   direct:        $direct")
summary+=("proxy  through proxy: $proxied (ratio to direct: $ratio)")
spliced=$(timeout 60 "$client" echo "$proxy_splice_addr" -conns 8 -bytes $((4 << 20))) || fail "echo through the splicing proxy: $spliced"
summary+=("proxy  through proxy -splice: $spliced")

echo "smoke: proxy: wrk through examples/proxy to examples/http"
pwrk_out=$(timeout 60 wrk -t 2 -c 64 -d 3s -s scripts/pipeline.lua "http://$proxy_http_addr/" -- 16) ||
	fail "wrk through the proxy failed: $pwrk_out"
grep -q "Socket errors" <<<"$pwrk_out" && fail "wrk through the proxy reported socket errors: $pwrk_out"
grep -q "Non-2xx" <<<"$pwrk_out" && fail "wrk through the proxy reported non-2xx responses: $pwrk_out"
prequests=$(awk '/requests in/ {print $1}' <<<"$pwrk_out")
[[ ${prequests:-0} -gt 0 ]] || fail "wrk through the proxy completed no requests"
prps=$(awk '/Requests\/sec/ {print $2}' <<<"$pwrk_out")
drps=$(awk '/Requests\/sec/ {print $2}' <<<"$wrk_out")
summary+=("proxy  wrk -c64 pipeline 16 via proxy: $prps req/s (ratio to direct: $(awk -v d="$drps" -v p="$prps" 'BEGIN { printf "%.2f", p / d }'))")

# The servers must still be up and quiet.
for i in "${!pids[@]}"; do
	kill -0 "${pids[$i]}" 2>/dev/null || fail "a server exited early"
done
for f in "$work"/*.log; do
	[[ -s $f ]] && fail "$(basename "$f" .log) printed: $(head -c 500 "$f")"
done

echo
echo "smoke: all passed on $backend (numbers for information only; the machine is shared)"
for line in "${summary[@]}"; do
	echo "    $line"
done
