package conn

import (
	"errors"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

func TestIoctlKeepAliveVals(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, s.Ioctl(SIO_KEEPALIVE_VALS, KeepAliveVals{On: true, Time: 10 * time.Second, Interval: time.Second}))
	if v, err := s.GetSockopt(SO_KEEPALIVE); err != nil || v == 0 {
		t.Fatalf("SO_KEEPALIVE after SIO_KEEPALIVE_VALS on = %d, %v", v, err)
	}
	must(t, s.Ioctl(SIO_KEEPALIVE_VALS, KeepAliveVals{On: false}))
}

func TestIoctlBadInput(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	tests := []struct {
		name string
		code IoctlCode
		arg  any
	}{
		{name: "unknown code", code: 0x12345678, arg: 1},
		{name: "rcvall takes RcvAll", code: SIO_RCVALL, arg: "on"},
		{name: "keepalive takes KeepAliveVals", code: SIO_KEEPALIVE_VALS, arg: true},
		{name: "negative keepalive", code: SIO_KEEPALIVE_VALS, arg: KeepAliveVals{On: true, Time: -time.Second}},
		{name: "fast path takes bool", code: SIO_LOOPBACK_FAST_PATH, arg: 1},
	}
	for _, tt := range tests {
		err := s.Ioctl(tt.code, tt.arg)
		var ve *ValueError
		if !errors.As(err, &ve) || !errors.Is(err, windows.WSAEINVAL) {
			t.Errorf("%s: Ioctl = %v, want a *ValueError", tt.name, err)
		}
	}
}

func TestIoctlLoopbackFastPath(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	if err := s.Ioctl(SIO_LOOPBACK_FAST_PATH, true); err != nil {
		errno := osErrno(t, err)
		t.Skipf("SIO_LOOPBACK_FAST_PATH refused by the system with %d (Wine does not implement it; Windows before 8 lacks it): %v", errno, err)
	}
}

func TestIoctlRcvAll(t *testing.T) {
	s, err := Open(AF_INET, SOCK_RAW, IPPROTO_IP)
	if err != nil {
		errno := osErrno(t, err)
		t.Skipf("raw sockets refused with %d (Windows needs administrator rights; Wine answers WSAEPROTONOSUPPORT without CAP_NET_RAW): %v", errno, err)
	}
	defer s.Close()
	must(t, s.Bind(Inet4("127.0.0.1", 0)))
	if err := s.Ioctl(SIO_RCVALL, RCVALL_ON); err != nil {
		errno := osErrno(t, err)
		t.Skipf("SIO_RCVALL refused with %d (administrator rights; Wine does not implement it): %v", errno, err)
	}
	must(t, s.Ioctl(SIO_RCVALL, RCVALL_OFF))
}

func TestIoctlRcvAllOnStreamSocketIsTheSystemsError(t *testing.T) {
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	err := s.Ioctl(SIO_RCVALL, RCVALL_ON)
	if err == nil {
		t.Fatal("SIO_RCVALL on a TCP socket succeeded")
	}
	osErrno(t, err) // Winsock's refusal, passed on as it is
}
