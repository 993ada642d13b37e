package conn

import (
	"testing"
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
