//go:build unix

package conn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pyRanges prints how CPython takes values at and beyond the ends of
// their ranges: "ok", "refused" (OverflowError, ValueError) or the errno
// name of an OSError; a timeout that is taken is printed in seconds.
const pyRanges = `
import errno, socket
def attempt(f):
    try:
        r = f()
    except (OverflowError, ValueError):
        return "refused"
    except OSError as e:
        return errno.errorcode.get(e.errno, "error")
    return "ok" if r is None else "ok %.9f" % r
def six():
    return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
print(attempt(lambda: six().bind(("::1", 0, (1 << 20) - 1, 0))))
print(attempt(lambda: six().bind(("::1", 0, 1 << 20, 0))))
print(attempt(lambda: six().connect(("::1", 9, 1 << 20, 0))))
print(attempt(lambda: six().sendto(b"x", ("::1", 9, 1 << 20, 0)) and None))
print(attempt(lambda: six().sendmsg([b"x"], [], 0, ("::1", 9, 1 << 20, 0)) and None))
print(attempt(lambda: socket.getnameinfo(("::1", 80, 1 << 20, 0), socket.NI_NUMERICHOST) and None))
print(attempt(lambda: six().bind(("::1", 65536))))
print(attempt(lambda: six().bind(("::1", -1))))
print(attempt(lambda: socket.getservbyport(65536)))
for v in (1e10, float("inf"), float("-inf"), float("nan"), -1.0, 9.2e9, 5e9, 1e-10, 1.5e-9, -0.0, 0.25):
    def t():
        s = socket.socket()
        try:
            s.settimeout(v)
            return s.gettimeout()
        finally:
            s.close()
    print(attempt(t))
`

// wantRanges is CPython's answer to pyRanges.
var wantRanges = []string{
	"ok", "refused", "refused", "refused", "refused", "refused", "refused", "refused", "refused",
	"refused", "refused", "refused", "refused", "refused",
	"ok 9200000000.000000000", "ok 5000000000.000000000", "ok 0.000000001", "ok 0.000000002", "ok 0.000000000", "ok 0.250000000",
}

// TestRangesAsCPython: out-of-range flow labels, ports and timeouts are
// refused with an error, not changed; the values CPython takes are kept
// as it keeps them.
func TestRangesAsCPython(t *testing.T) {
	if !HasIPv6() {
		t.Skip("no IPv6")
	}
	lo := netip.IPv6Loopback()
	six := func() *Socket { return mustOpen(t, AF_INET6, SOCK_DGRAM, 0) }
	flow := func(f uint32) Inet6Addr { return Inet6Addr{IP: lo, Port: 9, FlowInfo: f} }
	got := []string{
		rangeOutcome(six().Bind(Inet6Addr{IP: lo, FlowInfo: maxFlowInfo})),
		rangeOutcome(six().Bind(Inet6Addr{IP: lo, FlowInfo: maxFlowInfo + 1})),
		rangeOutcome(six().Connect(flow(maxFlowInfo + 1))),
		rangeOutcome(second(six().SendTo([]byte("x"), flow(maxFlowInfo+1)))),
		rangeOutcome(second(six().SendMsg([][]byte{[]byte("x")}, nil, flow(maxFlowInfo+1)))),
		rangeOutcome(third(GetNameInfo(context.Background(), Inet6Addr{IP: lo, Port: 80, FlowInfo: maxFlowInfo + 1}, NI_NUMERICHOST))),
		rangeOutcome(six().Bind(Inet6Addr{IP: lo, Port: 65536})),
		rangeOutcome(six().Bind(Inet6Addr{IP: lo, Port: -1})),
		rangeOutcome(second(GetServByPort(65536, ""))),
	}
	for _, v := range []float64{1e10, math.Inf(1), math.Inf(-1), math.NaN(), -1, 9.2e9, 5e9, 1e-10, 1.5e-9, math.Copysign(0, -1), 0.25} {
		s := six()
		d, err := TimeoutSeconds(v)
		if err == nil {
			err = s.SetTimeout(d)
		}
		if out := rangeOutcome(err); err != nil {
			got = append(got, out)
			continue
		}
		ns := s.Timeout()
		got = append(got, fmt.Sprintf("ok %d.%09d", ns/time.Second, ns%time.Second))
	}
	sameAsCPython(t, got, wantRanges, pyRanges)
}

// rangeOutcome prints an error as pyRanges does.
func rangeOutcome(err error) string {
	var ae *AddrError
	var ve *ValueError
	var errno unix.Errno
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &ae), errors.As(err, &ve):
		return "refused"
	case errors.As(err, &errno):
		return unix.ErrnoName(errno)
	}
	return "error: " + err.Error()
}

func second[A any](_ A, err error) error { return err }

func third[A, B any](_ A, _ B, err error) error { return err }
