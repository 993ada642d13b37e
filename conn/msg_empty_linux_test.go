package conn

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pyEmptySendMsg sends, on an AF_UNIX pair of each type, control data (one
// descriptor) with no data buffers and with one empty buffer, then "Z",
// and prints what sendmsg returned and each message the peer receives
// (data, descriptor count) until none is left.
const pyEmptySendMsg = `
import socket
for typ in (socket.SOCK_STREAM, socket.SOCK_SEQPACKET, socket.SOCK_DGRAM):
    a, b = socket.socketpair(socket.AF_UNIX, typ)
    print(socket.send_fds(a, [], [a.fileno()]), socket.send_fds(a, [b""], [a.fileno()]))
    a.send(b"Z")
    b.setblocking(False)
    while True:
        try:
            data, fds, flags, addr = socket.recv_fds(b, 8, 4)
        except BlockingIOError:
            break
        print(repr(data), len(fds))
`

// TestSendMsgEmptyAsCPython: control data without data bytes goes to the
// kernel as it is, as CPython passes it: no byte is added to a stream
// (which sends nothing, Linux dropping the control data), and datagram
// and seqpacket sockets send an empty message with the descriptor.
func TestSendMsgEmptyAsCPython(t *testing.T) {
	var got []string
	for _, typ := range []Type{SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM} {
		a, b := mustPair(t, AF_UNIX, typ)
		fds := []int{a.Fileno()}
		n1, err := a.SendFDs(nil, fds, nil)
		must(t, err)
		n2, err := a.SendFDs([][]byte{{}}, fds, nil)
		must(t, err)
		got = append(got, fmt.Sprint(n1, n2))
		_, err = a.Send([]byte("Z"))
		must(t, err)
		must(t, b.SetBlocking(false))
		for {
			data, fds, _, _, err := b.RecvFDs(8, 4)
			if errors.Is(err, ErrWouldBlock) {
				break
			}
			must(t, err)
			for _, fd := range fds {
				unix.Close(fd)
			}
			got = append(got, fmt.Sprintf("b'%s' %d", data, len(fds)))
		}
	}
	want := []string{
		"0 0", "b'Z' 0",
		"0 0", "b'' 1", "b'' 1", "b'Z' 0",
		"0 0", "b'' 1", "b'' 1", "b'Z' 0",
	}
	sameAsCPython(t, got, want, pyEmptySendMsg)
}

// TestSendMsgEmptyTo: with a destination the message goes as it is too,
// through the path that encodes the address (to a Unix datagram socket)
// and the poller's (in timeout mode).
func TestSendMsgEmptyTo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r")
	r := mustOpen(t, AF_UNIX, SOCK_DGRAM, 0)
	must(t, r.Bind(UnixAddr{Path: path}))
	s := mustOpen(t, AF_UNIX, SOCK_DGRAM, 0)
	must(t, s.SetTimeout(5*time.Second))
	n, err := s.SendFDs(nil, []int{s.Fileno()}, UnixAddr{Path: path})
	if n != 0 || err != nil {
		t.Fatalf("SendFDs(no data) to %s = %d, %v", path, n, err)
	}
	data, fds, _, _, err := r.RecvFDs(8, 4)
	must(t, err)
	for _, fd := range fds {
		unix.Close(fd)
	}
	if len(data) != 0 || len(fds) != 1 {
		t.Errorf("received %q with %d fds, want an empty message with one", data, len(fds))
	}
}

// TestSendMsgEmptyXSys: where x/sys encodes the destination (netlink
// here) it would add a byte to control data alone; that is refused.
func TestSendMsgEmptyXSys(t *testing.T) {
	s := openOrSkip(t, AF_NETLINK, SOCK_RAW, unix.NETLINK_ROUTE)
	oob := make([]byte, unix.CmsgSpace(4))
	_, err := s.SendMsg(nil, oob, NetlinkAddr{})
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("SendMsg(control data only) to netlink: %v, want a *ValueError", err)
	}
	var ve *ValueError
	if !errors.As(err, &ve) {
		t.Errorf("%v is not a *ValueError", err)
	}
}
