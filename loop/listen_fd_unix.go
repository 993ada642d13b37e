//go:build unix

package loop

import (
	"errors"
	"net"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

var (
	errNotSocket    = errors.New("not a socket the engine can serve")
	errNotListening = errors.New("stream socket is not listening")
)

// ListenFD serves an already bound socket given by its descriptor: a
// listening TCP or Unix stream socket, or a bound UDP socket, as inherited
// from a parent process handing over its listeners for a restart, or from
// systemd (ListenSystemd). The engine owns fd from then on and closes it at
// Stop; it never removes a Unix socket's file it did not create. Call it
// before Start.
func (e *Engine) ListenFD(fd int) (net.Addr, error) {
	fail := func(err error) (net.Addr, error) {
		return nil, &net.OpError{Op: "listen", Net: "fd", Addr: fdAddr(fd), Err: err}
	}
	sa, err := getsockname(fd)
	if err != nil {
		return fail(os.NewSyscallError("getsockname", err))
	}
	sotype, err := socketType(fd)
	if err != nil {
		return fail(err)
	}
	ep := &endpoint{sotype: sotype, sa: sa}
	switch sa.(type) {
	case *unix.SockaddrInet4:
		ep.family, ep.network = afInet, ipNetwork(sotype)
	case *unix.SockaddrInet6:
		ep.family, ep.network = afInet6, ipNetwork(sotype)
	case *unix.SockaddrUnix:
		if sotype == sockStream {
			ep.family, ep.network = afUnix, "unix"
		}
	}
	if ep.network == "" {
		return fail(errNotSocket)
	}
	if ep.stream() {
		ep.tls, ep.tlsReply = e.cfg.tls, e.cfg.tlsReply
		if on, err := sockopt.AcceptConn(fd); err != nil || !on {
			return fail(errNotListening)
		}
	}
	if err := setNonblock(fd); err != nil {
		return fail(err)
	}
	setCloseOnExec(fd)
	ln := &listener{ep: ep, fds: []int{fd}, unlinked: true}
	ep.listener = ln
	ln.addr = netAddr(ep.network, sa)
	ep.address = ln.addr.String()
	return e.adoptListener(ln)
}

// ipNetwork names the network of an IP socket of type sotype, "" for one
// the engine cannot serve.
func ipNetwork(sotype int) string {
	switch sotype {
	case sockStream:
		return "tcp"
	case sockDgram:
		return "udp"
	}
	return ""
}

// ListenSystemd serves, in order, the sockets systemd passed by socket
// activation (LISTEN_PID names this process, LISTEN_FDS counts descriptors
// from 3), and unsets those variables so that children do not take them
// too. Without them it returns no addresses and no error.
func (e *Engine) ListenSystemd() ([]net.Addr, error) {
	fds, err := systemdFDs(os.Getenv, 3)
	if err != nil || len(fds) == 0 {
		return nil, err
	}
	for _, name := range []string{"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"} {
		os.Unsetenv(name)
	}
	var addrs []net.Addr
	for _, fd := range fds {
		addr, err := e.ListenFD(fd)
		if err != nil {
			return addrs, err
		}
		addrs = append(addrs, addr)
	}
	return addrs, nil
}

// systemdFDs reads the socket activation protocol from getenv: the
// descriptors from first on that LISTEN_FDS counts, when LISTEN_PID is this
// process.
func systemdFDs(getenv func(string) string, first int) ([]int, error) {
	pid, fds := getenv("LISTEN_PID"), getenv("LISTEN_FDS")
	if pid == "" || fds == "" || pid != strconv.Itoa(os.Getpid()) {
		return nil, nil
	}
	n, err := strconv.Atoi(fds)
	if err != nil || n < 0 {
		return nil, &OptionError{Option: "LISTEN_FDS", Err: errors.New("not a count: " + strconv.Quote(fds))}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = first + i
	}
	return out, nil
}

// fdAddr names a descriptor in errors.
type fdAddr int

func (fdAddr) Network() string  { return "fd" }
func (a fdAddr) String() string { return strconv.Itoa(int(a)) }
