//go:build unix

package conn

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/sockloop/sockloop/ancillary"
	"golang.org/x/sys/unix"
)

// TestMsgAllocs pins that RecvMsgInto and SendMsg without a destination
// allocate nothing per call once the socket's scratch has grown.
func TestMsgAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, typ := range []Type{SOCK_STREAM, SOCK_DGRAM} {
		a, b := mustPair(t, AF_UNIX, typ)
		out := [][]byte{[]byte("head"), nil, []byte("body of the message")}
		in := [][]byte{make([]byte, 4), make([]byte, 0), make([]byte, 64)}
		oob := make([]byte, 64)
		allocs := testing.AllocsPerRun(200, func() {
			if _, err := a.SendMsg(out, nil, nil); err != nil {
				t.Fatal(err)
			}
			if n, _, _, _, err := b.RecvMsgInto(in, oob); err != nil || n != 23 {
				t.Fatal(n, err)
			}
		})
		if allocs != 0 {
			t.Errorf("%v: %v allocations per SendMsg + RecvMsgInto", typ, allocs)
		}
	}
}

// TestRecvMsgIntoTooManyBuffers checks IOV_MAX on the receive side.
func TestRecvMsgIntoTooManyBuffers(t *testing.T) {
	_, b := mustPair(t, AF_UNIX, SOCK_STREAM)
	bufs := make([][]byte, maxIovecs+1)
	_, _, _, _, err := b.RecvMsgInto(bufs, nil)
	var op *OpError
	var tm *TooManyBuffersError
	if !errors.Is(err, unix.EMSGSIZE) || !errors.As(err, &op) || !errors.As(err, &tm) || tm.N != 1025 || tm.Max != 1024 {
		t.Errorf("RecvMsgInto(1025 buffers) = %v; want an *OpError around a *TooManyBuffersError matching EMSGSIZE", err)
	}
	_, err = b.SendMsg(bufs, nil, nil)
	if !errors.Is(err, unix.EMSGSIZE) || !errors.As(err, &tm) {
		t.Errorf("SendMsg(1025 buffers) = %v; want a *TooManyBuffersError matching EMSGSIZE", err)
	}
	t.Log(err)
}

// TestMsgNonBlocking: RecvMsgInto with nothing queued in non-blocking mode
// fails with ErrWouldBlock.
func TestMsgNonBlocking(t *testing.T) {
	_, b := mustPair(t, AF_UNIX, SOCK_DGRAM)
	must(t, b.SetBlocking(false))
	_, _, _, _, err := b.RecvMsgInto([][]byte{make([]byte, 4)}, nil)
	if !errors.Is(err, ErrWouldBlock) {
		t.Errorf("RecvMsgInto (non-blocking, nothing queued) = %v", err)
	}
}

// TestSettleRightsCutShort feeds settleRights the control data macOS
// leaves after MSG_CTRUNC: a final SCM_RIGHTS message claiming more bytes
// than the buffer holds. The whole messages stay, the cut one is left out
// of the count and the descriptor visible in it is closed.
func TestSettleRightsCutShort(t *testing.T) {
	dup := func() int {
		fd, err := unix.Dup(0)
		must(t, err)
		return fd
	}
	kept, cut, beyond := dup(), dup(), dup()
	defer unix.Close(kept)
	defer unix.Close(beyond)
	oob, err := ancillary.AppendRights(nil, kept)
	must(t, err)
	whole := len(oob)
	oob, err = ancillary.AppendRights(oob, cut, beyond)
	must(t, err)
	l, _ := ancillary.Len(4)
	oob = oob[:whole+l] // the buffer ended after the first fd of the second message
	if n := settleRights(oob, unix.MSG_CTRUNC); n != whole {
		t.Errorf("settleRights = %d, want %d", n, whole)
	}
	if _, err := unix.FcntlInt(uintptr(cut), unix.F_GETFD, 0); err != unix.EBADF {
		t.Errorf("fd in the cut message still open (%v)", err)
	}
	if _, err := unix.FcntlInt(uintptr(kept), unix.F_GETFD, 0); err != nil {
		t.Errorf("fd in the whole message closed: %v", err)
	}
	if n := settleRights(oob[:whole], 0); n != whole {
		t.Errorf("settleRights(no MSG_CTRUNC) = %d, want %d", n, whole)
	}
}

func appendRightsForBench(fd int) ([]byte, error) { return ancillary.AppendRights(nil, fd) }

func closeRightsForBench(oob []byte) { ancillary.CloseRights(oob, 0) }

// TestSendMsgToAllocs pins that SendMsg to an Inet4Addr allocates nothing
// (the destination is encoded into the socket's scratch), and that bad
// addresses of those types still fail as before.
func TestSendMsgToAllocs(t *testing.T) {
	x := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	y := mustOpen(t, AF_INET, SOCK_DGRAM, 0)
	must(t, y.Bind(Inet4("127.0.0.1", 0)))
	to, err := y.SockName()
	must(t, err)
	out := [][]byte{[]byte("to "), []byte("an address")}
	buf := make([]byte, 32)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := x.SendMsg(out, nil, to); err != nil {
			t.Fatal(err)
		}
		if n, err := y.RecvInto(buf); err != nil || string(buf[:n]) != "to an address" {
			t.Fatal(n, err)
		}
	})
	if allocs != 0 && !raceEnabled {
		t.Errorf("%v allocations per SendMsg to %v", allocs, to)
	}
	a4 := to.(Inet4Addr)
	for _, bad := range []Addr{
		Inet4Addr{IP: a4.IP, Port: 70000},
		Inet6Addr{IP: netip.IPv6Loopback(), Port: a4.Port},
		Inet4Addr{Port: a4.Port},
	} {
		if _, err := x.SendMsg(out, nil, bad); err == nil {
			t.Errorf("SendMsg to %#v succeeded", bad)
		}
	}
}
