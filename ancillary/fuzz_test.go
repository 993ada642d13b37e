//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// FuzzParse feeds arbitrary control data to the parser, every decoder and
// TakeRights (with closing faked): none may panic or read outside the
// buffer, and what they report must agree.
func FuzzParse(f *testing.F) {
	hdr := uint64(ancillary.HdrLen)
	rights, _ := ancillary.AppendRights(nil, 3, 4, 5)
	two, _ := ancillary.AppendRights(nil, 7)
	two, _ = ancillary.Append(two, unix.SOL_SOCKET, unix.SCM_TIMESTAMP, make([]byte, 16))
	v6, _ := ancillary.AppendInet6PacketInfo(nil, ancillary.Inet6PacketInfo{IfIndex: 1})
	seeds := [][]byte{
		nil,
		{0},
		rights,
		two,
		v6,
		ancillary.AppendHopLimit(ancillary.AppendTrafficClass(nil, 1), 64),
		rawHeader(0, unix.SOL_SOCKET, unix.SCM_RIGHTS),
		rawHeader(hdr-1, unix.SOL_SOCKET, unix.SCM_RIGHTS),
		rawHeader(hdr+12, unix.SOL_SOCKET, unix.SCM_RIGHTS),
		concat(rights, rawHeader(hdr+400, unix.SOL_SOCKET, unix.SCM_RIGHTS), fdBytes(9, 10)),
		concat(rights, []byte{1, 2, 3}),
		rawHeader(1<<40, 1, 2),
	}
	for i, s := range seeds {
		f.Add(s, i%2 == 0, i%4)
	}
	f.Fuzz(func(t *testing.T, b []byte, ctrunc bool, limit int) {
		orig := slices.Clone(b)
		ms, err := collect(b)
		if err != nil && !errors.Is(err, ancillary.ErrMalformed) {
			t.Fatalf("parse error %v does not match ErrMalformed", err)
		}
		var iter []ancillary.Message
		var iterErr error
		for m, err := range ancillary.Messages(b) {
			if err != nil {
				iterErr = err
				continue
			}
			iter = append(iter, m)
		}
		if len(iter) != len(ms) || (err == nil) != (iterErr == nil) {
			t.Fatalf("Messages yielded %d, %v; Parser %d, %v", len(iter), iterErr, len(ms), err)
		}
		var rebuilt []byte
		var fds []int
		for i, m := range ms {
			if !within(m.Data, b) {
				t.Fatalf("message %d data outside the buffer", i)
			}
			decodeAll(t, m)
			if m.IsRights() {
				fds, _ = m.Rights(fds)
			}
			if rebuilt, err = ancillary.Append(rebuilt, m.Level, m.Type, m.Data); err != nil {
				t.Fatalf("re-encoding message %d: %v", i, err)
			}
		}
		again, err := collect(rebuilt)
		if err != nil || len(again) != len(ms) {
			t.Fatalf("re-encoded data parses to %d messages, %v; want %d", len(again), err, len(ms))
		}
		for i := range again {
			if again[i].Level != ms[i].Level || again[i].Type != ms[i].Type || !bytes.Equal(again[i].Data, ms[i].Data) {
				t.Fatalf("message %d changed on re-encoding", i)
			}
		}

		closed := fakeClose(t)
		flags := 0
		if ctrunc {
			flags = unix.MSG_CTRUNC
		}
		taken, n, terr := ancillary.TakeRights(nil, b, flags, limit)
		if len(taken) > max(limit, 0) || n != len(*closed) {
			t.Fatalf("TakeRights took %d with limit %d, reported %d closed of %d", len(taken), limit, n, len(*closed))
		}
		if seen := append(slices.Clone(taken), *closed...); slices.ContainsFunc(seen, func(fd int) bool { return fd < 0 }) {
			t.Fatalf("TakeRights handed over or closed a negative fd: %v", seen)
		} else if terr == nil && !slices.Equal(seen, fds) {
			t.Fatalf("TakeRights took %v and closed %v, want all of %v", taken, *closed, fds)
		}
		if !bytes.Equal(b, orig) {
			t.Fatal("the buffer was modified")
		}
	})
}

// decodeAll runs every decoder on m; each must succeed or return a
// *DecodeError.
func decodeAll(t *testing.T, m ancillary.Message) {
	t.Helper()
	check := func(err error) {
		var de *ancillary.DecodeError
		if err != nil && !errors.As(err, &de) {
			t.Fatalf("decoder error %v is not a *DecodeError", err)
		}
	}
	_, err := m.Rights(nil)
	check(err)
	_, err = m.Inet6PacketInfo()
	check(err)
	_, err = m.HopLimit()
	check(err)
	_, err = m.TrafficClass()
	check(err)
	_, err = m.TOS()
	check(err)
	_, err = m.TTL()
	check(err)
	_, err = m.Timestamp()
	check(err)
	decodeAllOS(t, m, check)
}
