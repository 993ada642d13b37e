package loop

import (
	"net"
	"os"
	"time"
)

// listenBacklog is passed to listen(2); the kernel caps it at somaxconn.
const listenBacklog = 4096

// listener is one bound address, with one socket per loop where the kernel
// balances connections between them, else one socket.
type listener struct {
	ep       *endpoint
	fds      []int
	addr     net.Addr
	bound    bool // a Unix listener's bind made its file, which close removes
	unlinked bool
	noDelay  bool // its sockets have TCP_NODELAY, which accepted ones inherit
}

// presetNoDelay sets TCP_NODELAY on a TCP listener's sockets where the
// sockets it accepts inherit it (acceptInheritsNoDelay), so that an accept
// needs no setsockopt of its own.
func (ln *listener) presetNoDelay() {
	if !acceptInheritsNoDelay || !ln.ep.stream() || ln.ep.family == afUnix {
		return
	}
	for _, fd := range ln.fds {
		if setNoDelay(fd) != nil {
			return
		}
	}
	ln.noDelay = true
}

// listenSocket is one socket of a listener as the loop that owns it sees it.
type listenSocket struct {
	*listener
	fd int
	// Accept back-off after EMFILE and the like.
	backoff time.Duration
	warned  bool
	// On the completion path: a multishot accept is armed (ring) and its
	// last completion has not arrived (armed).
	ring, armed bool
}

func listen(ep *endpoint, n int, lc *listenConfig) (*listener, error) {
	ln := &listener{ep: ep}
	ep.listener = ln
	for i := range n {
		fd, err := ln.bindOne(n > 1, lc)
		if err != nil {
			ln.close()
			return nil, err
		}
		ln.fds = append(ln.fds, fd)
		if i == 0 {
			sa, err := getsockname(fd)
			if err != nil {
				ln.close()
				return nil, os.NewSyscallError("getsockname", err)
			}
			ln.addr = netAddr(ep.network, sa)
			// With port 0 the kernel chose a port; the other sockets join it.
			switch a := sa.(type) {
			case *sockaddrInet4:
				ep.sa.(*sockaddrInet4).Port = a.Port
			case *sockaddrInet6:
				ep.sa.(*sockaddrInet6).Port = a.Port
			}
		}
	}
	return ln, nil
}

func (ln *listener) bindOne(shared bool, lc *listenConfig) (int, error) {
	ep := ln.ep
	fd, err := sysSocket(ep.family, ep.sotype)
	if err != nil {
		return -1, err
	}
	fail := func(err error) (int, error) {
		closeFD(fd)
		return -1, &net.OpError{Op: "listen", Net: ep.network, Addr: netAddr(ep.network, ep.sa), Err: err}
	}
	if ep.family != afUnix {
		if err := setReuseAddr(fd); err != nil {
			return fail(err)
		}
		if shared {
			if err := setReusePort(fd); err != nil {
				return fail(err)
			}
		}
	}
	if ep.family == afInet6 {
		if err := setV6Only(fd, !ep.dualStack); err != nil {
			return fail(err)
		}
	}
	if err := sysBind(fd, ep.sa); err != nil {
		return fail(os.NewSyscallError("bind", err))
	}
	ln.bound = true
	if err := lc.apply(fd, ep); err != nil {
		return fail(err)
	}
	if ep.stream() {
		if err := sysListen(fd, lc.listenBacklog()); err != nil {
			return fail(os.NewSyscallError("listen", err))
		}
	}
	return fd, nil
}

// close closes every socket of the listener and removes a Unix socket's file.
func (ln *listener) close() {
	for _, fd := range ln.fds {
		closeFD(fd)
	}
	ln.fds = nil
	ln.unlink()
}

// unlink removes the file a Unix listener created, once: a bind that failed
// made none, and whatever is at the path (another server's socket, a file)
// stays.
func (ln *listener) unlink() {
	if ua, ok := ln.ep.sa.(*sockaddrUnix); ok && ln.bound && !ln.unlinked && ua.Name != "" && ua.Name[0] != '@' {
		ln.unlinked = true
		os.Remove(ua.Name)
	}
}
