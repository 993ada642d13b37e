//go:build unix

package loop

import (
	"syscall"
	"testing"
)

func TestAdoptRejectsDatagramSocket(t *testing.T) {
	e, _ := startEngine(t, BaseHandler{}, nil)
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fds[0])
	defer syscall.Close(fds[1])
	if _, err := e.Adopt(fds[0], nil); err == nil {
		t.Fatal("Adopt of a datagram socket succeeded")
	}
}
