package conn

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// pyUnixNames prints, with the labels of unixNameProbe, the AF_UNIX names
// CPython reports: unnamed sockets, abstract names of the full 108 bytes,
// and paths that begin with '@', for stream, datagram and seqpacket
// sockets. Its arguments are a directory to work in and a tag that makes
// its abstract names its own.
const pyUnixNames = `
import os, socket, sys
d, tag = sys.argv[1], sys.argv[2]
os.chdir(d)
U, S, D, Q = socket.AF_UNIX, socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_SEQPACKET
def absname(kind, n=108):
    return ("\0" + tag + "-" + kind).ljust(n, "x").encode()
labels = {absname("s"): "s108", absname("d"): "d108", absname("q"): "q108", b"\0" + tag.encode() + b"\0in": "nul"}
def show(a):
    if a is None:
        return "None"
    if isinstance(a, bytes):
        return "abstract:" + labels.get(a, a.hex())
    return "path:" + a
def attempt(f):
    try:
        f()
        return "ok"
    except OSError:
        return "error"
for typ in (S, D, Q):
    a, b = socket.socketpair(U, typ)
    print("pair", int(typ), show(a.getsockname()), show(a.getpeername()), show(b.getsockname()), show(b.getpeername()))
print("unbound", show(socket.socket(U).getsockname()))
l = socket.socket(U); l.bind("srv"); l.listen()
c = socket.socket(U); c.connect("srv")
s, a = l.accept()
print("accept", show(a), show(s.getpeername()), show(s.getsockname()), show(c.getsockname()), show(c.getpeername()))
c.send(b"x"); print("stream recvfrom", show(s.recvfrom(8)[1]))
c.send(b"x"); print("stream recvmsg", show(s.recvmsg(8)[3]))
s.send(b"x"); print("stream recvfrom named", show(c.recvfrom(8)[1]))
r = socket.socket(U, D); r.bind("dg")
u = socket.socket(U, D)
u.sendto(b"x", "dg"); print("dgram recvfrom", show(r.recvfrom(8)[1]))
u.sendto(b"x", "dg"); print("dgram recvmsg", show(r.recvmsg(8)[3]))
l2 = socket.socket(U); l2.bind(absname("s")); l2.listen()
c2 = socket.socket(U); c2.connect(absname("s"))
print("abstract108 stream", show(l2.getsockname()), show(c2.getpeername()), show(l2.accept()[0].getsockname()))
g = socket.socket(U, D); g.bind(absname("d"))
h = socket.socket(U, D); h.bind("snd")
h.sendto(b"y", absname("d")); print("abstract108 dgram", show(g.getsockname()), show(g.recvfrom(8)[1]))
h.sendmsg([b"y"], [], 0, absname("d")); print("abstract108 sendmsg", show(g.recvmsg(8)[3]))
q = socket.socket(U, Q); q.bind(absname("q")); q.listen()
c3 = socket.socket(U, Q); c3.connect(absname("q"))
print("abstract108 seqpacket", show(q.getsockname()), show(c3.getpeername()))
print("abstract109", attempt(lambda: socket.socket(U).bind(absname("t", 109))))
print("path107", attempt(lambda: socket.socket(U).bind("p".ljust(107, "x"))), "path108", attempt(lambda: socket.socket(U).bind("p".ljust(108, "x"))))
l4 = socket.socket(U); l4.bind("@srv"); l4.listen()
c4 = socket.socket(U); c4.connect("@srv")
print("at stream", show(l4.getsockname()), show(c4.getpeername()), os.path.exists("@srv"))
r5 = socket.socket(U, D); r5.bind("@dg"); h.sendto(b"z", "@dg")
print("at dgram", show(r5.getsockname()), show(r5.recvfrom(8)[1]), os.path.exists("@dg"))
h.sendmsg([b"z"], [], 0, "@dg"); print("at sendmsg", show(r5.recvmsg(8)[3]))
q6 = socket.socket(U, Q); q6.bind("@sq"); q6.listen()
c6 = socket.socket(U, Q); c6.connect("@sq")
print("at seqpacket", show(q6.getsockname()), show(c6.getpeername()), os.path.exists("@sq"))
n = socket.socket(U); n.bind(b"\0" + tag.encode() + b"\0in"); print("abstract nul", show(n.getsockname()))
`

// wantUnixNames is what CPython prints for pyUnixNames: unnamed sockets
// have the empty name (None from recvfrom and recvmsg), a 108-byte
// abstract name works, and '@srv' is a file.
var wantUnixNames = []string{
	"pair 1 path: path: path: path:",
	"pair 2 path: path: path: path:",
	"pair 5 path: path: path: path:",
	"unbound path:",
	"accept path: path: path:srv path: path:srv",
	"stream recvfrom None",
	"stream recvmsg None",
	"stream recvfrom named path:srv",
	"dgram recvfrom None",
	"dgram recvmsg None",
	"abstract108 stream abstract:s108 abstract:s108 abstract:s108",
	"abstract108 dgram abstract:d108 path:snd",
	"abstract108 sendmsg path:snd",
	"abstract108 seqpacket abstract:q108 abstract:q108",
	"abstract109 error",
	"path107 ok path108 error",
	"at stream path:@srv path:@srv True",
	"at dgram path:@dg path:snd True",
	"at sendmsg path:snd",
	"at seqpacket path:@sq path:@sq True",
	"abstract nul abstract:nul",
}

// TestUnixNamesAsCPython runs pyUnixNames's steps on conn and compares
// what it prints with CPython's output.
func TestUnixNamesAsCPython(t *testing.T) {
	tag := "sockloop-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	root := t.TempDir()
	pyDir, goDir := filepath.Join(root, "py"), filepath.Join(root, "go")
	must(t, os.Mkdir(pyDir, 0o700))
	must(t, os.Mkdir(goDir, 0o700))
	t.Chdir(goDir)
	p := &unixNameProbe{t: t, tag: tag + "-go"}
	p.run()
	sameAsCPython(t, p.out, wantUnixNames, pyUnixNames, pyDir, tag+"-py")
}

// unixNameProbe runs the steps of pyUnixNames and prints as it does.
type unixNameProbe struct {
	t   *testing.T
	tag string
	out []string
}

// abs returns the abstract name (without its NUL) of kind, n bytes in
// sun_path with its NUL.
func (p *unixNameProbe) abs(kind string, n int) string {
	name := p.tag + "-" + kind
	return name + strings.Repeat("x", n-1-len(name))
}

func (p *unixNameProbe) show(a Addr) string {
	switch a := a.(type) {
	case nil:
		return "None"
	case UnixAddr:
		if !a.Abstract {
			return "path:" + a.Path
		}
		labels := map[string]string{p.abs("s", 108): "s108", p.abs("d", 108): "d108", p.abs("q", 108): "q108", p.tag + "\x00in": "nul"}
		if l, ok := labels[a.Path]; ok {
			return "abstract:" + l
		}
		return "abstract:" + hex.EncodeToString([]byte("\x00"+a.Path))
	}
	return fmt.Sprintf("%#v", a)
}

func (p *unixNameProbe) print(f ...any) { p.out = append(p.out, strings.TrimSpace(fmt.Sprintln(f...))) }

func (p *unixNameProbe) name(s *Socket, peer bool) string {
	get := s.SockName
	if peer {
		get = s.PeerName
	}
	a, err := get()
	must(p.t, err)
	return p.show(a)
}

func (p *unixNameProbe) open(typ Type) *Socket { return mustOpen(p.t, AF_UNIX, typ, 0) }

func (p *unixNameProbe) listen(typ Type, addr UnixAddr) *Socket {
	l := p.open(typ)
	must(p.t, l.Bind(addr))
	if typ != SOCK_DGRAM {
		must(p.t, l.Listen())
	}
	return l
}

func (p *unixNameProbe) dial(typ Type, addr UnixAddr) *Socket {
	c := p.open(typ)
	must(p.t, c.Connect(addr))
	return c
}

func (p *unixNameProbe) recvfrom(s *Socket) string {
	_, a, err := s.RecvFrom(8)
	must(p.t, err)
	return p.show(a)
}

func (p *unixNameProbe) recvmsg(s *Socket) string {
	_, _, _, a, err := s.RecvMsg(8, 0)
	must(p.t, err)
	return p.show(a)
}

func (p *unixNameProbe) send(s *Socket, to Addr, msg bool) {
	var err error
	if msg {
		_, err = s.SendMsg([][]byte{[]byte("x")}, nil, to)
	} else if to == nil {
		_, err = s.Send([]byte("x"))
	} else {
		_, err = s.SendTo([]byte("x"), to)
	}
	must(p.t, err)
}

func (p *unixNameProbe) attempt(addr UnixAddr) string {
	if err := p.open(SOCK_STREAM).Bind(addr); err != nil {
		var ae *AddrError
		if !errors.As(err, &ae) {
			p.t.Errorf("bind %q: %v, want an *AddrError", addr.Path, err)
		}
		return "error"
	}
	return "ok"
}

func (p *unixNameProbe) exists(path string) string {
	if _, err := os.Stat(path); err != nil {
		return "False"
	}
	return "True"
}

func (p *unixNameProbe) run() {
	t := p.t
	for _, typ := range []Type{SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET} {
		a, b := mustPair(t, AF_UNIX, typ)
		p.print("pair", int(typ), p.name(a, false), p.name(a, true), p.name(b, false), p.name(b, true))
	}
	p.print("unbound", p.name(p.open(SOCK_STREAM), false))

	l := p.listen(SOCK_STREAM, UnixAddr{Path: "srv"})
	c := p.dial(SOCK_STREAM, UnixAddr{Path: "srv"})
	s, a, err := l.Accept()
	must(t, err)
	t.Cleanup(func() { s.Close() })
	p.print("accept", p.show(a), p.name(s, true), p.name(s, false), p.name(c, false), p.name(c, true))
	p.send(c, nil, false)
	p.print("stream recvfrom", p.recvfrom(s))
	p.send(c, nil, false)
	p.print("stream recvmsg", p.recvmsg(s))
	p.send(s, nil, false)
	p.print("stream recvfrom named", p.recvfrom(c))

	r := p.listen(SOCK_DGRAM, UnixAddr{Path: "dg"})
	u := p.open(SOCK_DGRAM)
	p.send(u, UnixAddr{Path: "dg"}, false)
	p.print("dgram recvfrom", p.recvfrom(r))
	p.send(u, UnixAddr{Path: "dg"}, false)
	p.print("dgram recvmsg", p.recvmsg(r))

	// The 108-byte abstract names, in both spellings.
	l2 := p.listen(SOCK_STREAM, UnixAddr{Path: "\x00" + p.abs("s", 108)})
	c2 := p.dial(SOCK_STREAM, UnixAddr{Path: p.abs("s", 108), Abstract: true})
	s2, _, err := l2.Accept()
	must(t, err)
	t.Cleanup(func() { s2.Close() })
	p.print("abstract108 stream", p.name(l2, false), p.name(c2, true), p.name(s2, false))
	g := p.listen(SOCK_DGRAM, UnixAddr{Path: "\x00" + p.abs("d", 108)})
	h := p.listen(SOCK_DGRAM, UnixAddr{Path: "snd"})
	p.send(h, UnixAddr{Path: "\x00" + p.abs("d", 108)}, false)
	p.print("abstract108 dgram", p.name(g, false), p.recvfrom(g))
	p.send(h, UnixAddr{Path: p.abs("d", 108), Abstract: true}, true)
	p.print("abstract108 sendmsg", p.recvmsg(g))
	q := p.listen(SOCK_SEQPACKET, UnixAddr{Path: "\x00" + p.abs("q", 108)})
	c3 := p.dial(SOCK_SEQPACKET, UnixAddr{Path: "\x00" + p.abs("q", 108)})
	p.print("abstract108 seqpacket", p.name(q, false), p.name(c3, true))
	p.print("abstract109", p.attempt(UnixAddr{Path: "\x00" + p.abs("t", 109)}))
	p.print("path107", p.attempt(UnixAddr{Path: "p" + strings.Repeat("x", 106)}),
		"path108", p.attempt(UnixAddr{Path: "p" + strings.Repeat("x", 107)}))

	// Paths that begin with '@' are files.
	l4 := p.listen(SOCK_STREAM, UnixAddr{Path: "@srv"})
	c4 := p.dial(SOCK_STREAM, UnixAddr{Path: "@srv"})
	p.print("at stream", p.name(l4, false), p.name(c4, true), p.exists("@srv"))
	r5 := p.listen(SOCK_DGRAM, UnixAddr{Path: "@dg"})
	p.send(h, UnixAddr{Path: "@dg"}, false)
	p.print("at dgram", p.name(r5, false), p.recvfrom(r5), p.exists("@dg"))
	p.send(h, UnixAddr{Path: "@dg"}, true)
	p.print("at sendmsg", p.recvmsg(r5))
	q6 := p.listen(SOCK_SEQPACKET, UnixAddr{Path: "@sq"})
	c6 := p.dial(SOCK_SEQPACKET, UnixAddr{Path: "@sq"})
	p.print("at seqpacket", p.name(q6, false), p.name(c6, true), p.exists("@sq"))

	n := p.listen(SOCK_DGRAM, UnixAddr{Path: p.tag + "\x00in", Abstract: true})
	p.print("abstract nul", p.name(n, false))
}
