//go:build unix || windows

package conn

import (
	"testing"
)

// tcpPair returns a connected TCP pair on 127.0.0.1 (port 0) and a
// function that closes both.
func tcpPair(t testing.TB) (c1, c2 *Socket) {
	t.Helper()
	l, addr := listen(t)
	defer l.Close()
	c1 = mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, c1.Connect(addr))
	c2, _, err := l.Accept()
	must(t, err)
	t.Cleanup(func() { c2.Close() })
	return c1, c2
}

// listen returns a TCP socket listening on 127.0.0.1 (port 0) and its address.
func listen(t testing.TB) (*Socket, Addr) {
	t.Helper()
	l := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	must(t, l.Bind(Inet4("127.0.0.1", 0)))
	must(t, l.Listen())
	addr, err := l.SockName()
	must(t, err)
	return l, addr
}

func mustOpen(t testing.TB, f Family, typ Type, p Proto) *Socket {
	t.Helper()
	s, err := Open(f, typ, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func mustPair(t testing.TB, f Family, typ Type) (*Socket, *Socket) {
	t.Helper()
	a, b, err := Socketpair(f, typ, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
