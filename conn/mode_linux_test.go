package conn

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSockNonblockType(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0)
	if s.Type() != SOCK_STREAM {
		t.Errorf("Type = %v, want SOCK_STREAM", s.Type())
	}
	if s.Timeout() != 0 {
		t.Errorf("Timeout = %v, want 0", s.Timeout())
	}
	inh, err := s.Inheritable()
	must(t, err)
	if inh {
		t.Error("new socket is inheritable")
	}
	must(t, s.SetInheritable(true))
	if inh, _ := s.Inheritable(); !inh {
		t.Error("SetInheritable(true) did not stick")
	}
}

func TestSetSockoptNilReachesKernel(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	err := s.SetSockoptNil(RawOpt{Lvl: int(SOL_SOCKET), Num: int(SO_REUSEADDR)}, 4)
	var errno unix.Errno
	if !errors.As(err, &errno) {
		t.Fatalf("SetSockoptNil: %v, want the kernel's errno (EFAULT)", err)
	}
	if err := s.SetSockoptNil(SO_REUSEADDR, -1); !errors.Is(err, unix.EINVAL) {
		t.Errorf("negative optlen: %v", err)
	}
}

func TestUnresolvableHostIsGAIError(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	err := s.Bind(Inet4("not a host name!", 0)) // refused before any DNS query
	var ge *GAIError
	if !errors.As(err, &ge) {
		t.Fatalf("Bind(bad name): %v, want a *GAIError", err)
	}
}
