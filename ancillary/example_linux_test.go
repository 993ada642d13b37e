//go:build linux && (amd64 || arm64)

package ancillary_test

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

func ExampleLen() {
	l, _ := ancillary.Len(4)   // one fd
	s, _ := ancillary.Space(4) // what it occupies in a buffer
	fmt.Println(l, s)
	_, err := ancillary.Len(-1)
	fmt.Println(errors.Is(err, ancillary.ErrRange))
	// Output:
	// 20 24
	// true
}

func ExampleAppendRights() {
	pair, _ := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	var p [2]int
	unix.Pipe2(p[:], unix.O_CLOEXEC)
	defer unix.Close(p[0])
	defer unix.Close(p[1])

	// Send the pipe's read end.
	var scratch [64]byte
	oob, err := ancillary.AppendRights(scratch[:0], p[0])
	if err != nil {
		panic(err)
	}
	unix.Sendmsg(pair[0], []byte("x"), oob, nil, 0)

	// Receive it: size the buffer for what you accept, take what you
	// want, and let TakeRights close the rest.
	space, _ := ancillary.Space(4)
	buf, rbuf := make([]byte, 1), make([]byte, space)
	_, oobn, flags, _, _ := unix.Recvmsg(pair[1], buf, rbuf, unix.MSG_CMSG_CLOEXEC)
	fds, closed, err := ancillary.TakeRights(nil, rbuf[:oobn], flags, 1)
	fmt.Println(len(fds), closed, err)
	for _, fd := range fds {
		unix.Close(fd)
	}
	// Output: 1 0 <nil>
}

func ExampleTakeRights_truncated() {
	pair, _ := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	defer unix.Close(pair[0])
	defer unix.Close(pair[1])
	oob, _ := ancillary.AppendRights(nil, 0, 1, 2)
	unix.Sendmsg(pair[0], []byte("x"), oob, nil, 0)

	// Room for one fd only: Linux installs one and discards two.
	l, _ := ancillary.Len(4)
	buf, rbuf := make([]byte, 1), make([]byte, l)
	_, oobn, flags, _, _ := unix.Recvmsg(pair[1], buf, rbuf, unix.MSG_CMSG_CLOEXEC)
	fds, closed, err := ancillary.TakeRights(nil, rbuf[:oobn], flags, 8)
	fmt.Println(ancillary.Truncated(flags), len(fds), closed, errors.Is(err, ancillary.ErrTruncated))
	for _, fd := range fds {
		unix.Close(fd)
	}
	// Output: true 1 0 true
}

func ExampleMessages() {
	oob := ancillary.AppendHopLimit(nil, 64)
	oob = ancillary.AppendTrafficClass(oob, 0x2e)
	oob = ancillary.AppendUDPSegment(oob, 1200)
	for m, err := range ancillary.Messages(oob) {
		if err != nil {
			fmt.Println(err)
			break
		}
		switch {
		case m.Is(unix.IPPROTO_IPV6, unix.IPV6_HOPLIMIT):
			v, _ := m.HopLimit()
			fmt.Println("hop limit", v)
		case m.Is(unix.IPPROTO_IPV6, unix.IPV6_TCLASS):
			v, _ := m.TrafficClass()
			fmt.Printf("traffic class %#x\n", v)
		default:
			fmt.Println("level", m.Level, "type", m.Type, "with", len(m.Data), "bytes")
		}
	}
	// Output:
	// hop limit 64
	// traffic class 0x2e
	// level 17 type 103 with 2 bytes
}

func ExampleParser() {
	oob, _ := ancillary.AppendRights(nil, 5, 6)
	oob = append(oob, 1, 2, 3) // trailing junk
	p := ancillary.NewParser(oob)
	for m, ok := p.Next(); ok; m, ok = p.Next() {
		fmt.Println("fds in message:", m.NumRights())
	}
	fmt.Println(p.Err())
	// Output:
	// fds in message: 2
	// ancillary: malformed control data at offset 24: incomplete header
}
