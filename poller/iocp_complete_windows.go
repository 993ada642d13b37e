package poller

// The Windows backend's Completer: socket operations on the completion port,
// shaped like io_uring's so that the loop serves both the same way.
//
//   - Accept is multishot by re-posting: one AcceptEx is outstanding per
//     listener, on a socket made for it beforehand (WSASocket, overlapped,
//     of the listener's family); each completion hands that socket over in
//     FIONBIO mode (Res is its handle, More set; not yet joined to a port,
//     since another loop's poller may serve it: its first Recv joins it),
//     and posts the next AcceptEx. A client that reset before its accept
//     completed is reported as WSAECONNABORTED with More still set.
//   - Recv is multishot the way libuv reads: a zero-byte overlapped WSARecv
//     is the readiness signal, so no buffer is pinned while a connection is
//     idle; its completion reads once, without waiting, into a buffer of the
//     poller's pool, reports it (More set) and posts the zero-byte receive
//     again. An empty pool ends the receive with WSAENOBUFS, as io_uring's
//     ENOBUFS; the end of input (Res 0) and errors end it too.
//   - Send is one overlapped WSASend of the gathered slices; the operation
//     keeps their WSABUFs, and so the memory, referenced until it completes.
//   - Connect (the Connector) binds the socket to the wildcard address of
//     the destination's family, as ConnectEx requires, and completes with
//     SO_UPDATE_CONNECT_CONTEXT set, so that getpeername and shutdown work.
//   - Cancel and CancelFd use CancelIoEx; every cancelled operation still
//     completes, with WSA_OPERATION_ABORTED (995) as its negated Res, and
//     nothing it used is released before.
//
// Results are Winsock error codes, negated in Res, so that Completion.Err
// compares equal to the x/sys/windows constants. Every operation is posted
// at once, from the goroutine that calls Wait; completions are collected by
// Wait (and by Delete and Close while they wait for cancellations) and
// handed over by the next Wait's Completions.

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/sockloop/sockloop/internal/completion"
)

// acceptAddrLen is the room AcceptEx wants for each address it writes.
const acceptAddrLen = uint32(unsafe.Sizeof(windows.RawSockaddrAny{})) + 16

// cop is one operation of the Completer; p.cops keeps it reachable, by the
// address of ov, from the moment it is posted until its completion.
type cop struct {
	ov        windows.Overlapped
	op        completion.Op
	fd        int
	h         windows.Handle
	token     uint64
	pending   bool
	cancelled bool
	flags     uint32
	qty       uint32
	zero      windows.WSABuf   // a receive's zero-byte buffer
	iov       []windows.WSABuf // a send's slices
	as        windows.Handle   // an accept's new socket
	family    int32            // an accept's listener family
	addrs     [2 * acceptAddrLen]byte
	sa        windows.Sockaddr // a connect's destination
}

var (
	_ completion.Completer = (*iocp)(nil)
	_ completion.Connector = (*iocp)(nil)
)

func (p *iocp) Completer() completion.Completer { return p }

// BoundsRecv is true: see Recv.
func (p *iocp) BoundsRecv() bool { return true }

func (p *iocp) Batched() bool { return false }

// SizeBuffers sizes the receive buffers, before the first receive makes them.
func (p *iocp) SizeBuffers(count, size int) {
	if p.bufs.slab == nil {
		p.bufs = newRecvPool(count, size)
	}
}

// multiKey names an armed multishot operation in p.multi.
func multiKey(op completion.Op, token uint64) uint64 { return token<<8 | uint64(op) }

func (p *iocp) check(call string, token uint64) error {
	if p.port == 0 {
		return ErrClosed
	}
	if token > completion.MaxToken {
		return fmt.Errorf("poller: %s: token %#x above completion.MaxToken", call, token)
	}
	return nil
}

// issue posts c's operation, recording it as pending first.
func (p *iocp) issue(c *cop) error {
	c.ov = windows.Overlapped{}
	key := uintptr(unsafe.Pointer(&c.ov))
	p.cops[key] = c
	c.pending = true
	var err error
	switch c.op {
	case completion.OpAccept:
		err = windows.AcceptEx(c.h, c.as, &c.addrs[0], 0, acceptAddrLen, acceptAddrLen, &c.qty, &c.ov)
	case completion.OpRecv:
		c.flags = 0
		err = windows.WSARecv(c.h, &c.zero, 1, &c.qty, &c.flags, &c.ov, nil)
	case completion.OpSend:
		err = windows.WSASend(c.h, &c.iov[0], uint32(len(c.iov)), &c.qty, 0, &c.ov, nil)
	case completion.OpConnect:
		err = windows.ConnectEx(c.h, c.sa, nil, 0, nil, &c.ov)
	}
	if err == nil || err == windows.ERROR_IO_PENDING {
		// Pending, or done with its packet queued: completion skipping is
		// never enabled on these handles.
		return nil
	}
	delete(p.cops, key)
	c.pending = false
	return err
}

// Accept arms a multishot accept on the listening socket fd.
func (p *iocp) Accept(fd int, token uint64) error {
	if err := p.check("accept", token); err != nil {
		return err
	}
	h := windows.Handle(fd)
	if err := p.associate(h); err != nil {
		return fmt.Errorf("poller: accept on fd %d: %w", fd, err)
	}
	sa, err := windows.Getsockname(h)
	if err != nil {
		return os.NewSyscallError("getsockname", err)
	}
	c := &cop{op: completion.OpAccept, fd: fd, h: h, token: token, as: windows.InvalidHandle, family: windows.AF_INET}
	switch sa.(type) {
	case *windows.SockaddrInet6:
		c.family = windows.AF_INET6
	case *windows.SockaddrUnix:
		c.family = windows.AF_UNIX
	}
	if err := p.postAccept(c); err != nil {
		return err
	}
	p.multi[multiKey(completion.OpAccept, token)] = c
	p.fdAcc[fd] = c
	return nil
}

// postAccept makes the socket the next connection arrives on and posts
// AcceptEx with it.
func (p *iocp) postAccept(c *cop) error {
	as, err := windows.WSASocket(c.family, windows.SOCK_STREAM, 0, nil, 0, windows.WSA_FLAG_OVERLAPPED|windows.WSA_FLAG_NO_HANDLE_INHERIT)
	if err != nil {
		return os.NewSyscallError("wsasocket", err)
	}
	c.as = as
	if err := p.issue(c); err != nil {
		windows.Closesocket(as)
		c.as = windows.InvalidHandle
		return os.NewSyscallError("acceptex", err)
	}
	return nil
}

// Recv arms a multishot receive on fd into the poller's buffers. Each
// completion brings one buffer, read after the zero-byte receive before it
// completed, and a cancellation stops the next: the limit holds by itself.
func (p *iocp) Recv(fd int, token uint64, limit int) error {
	if err := p.check("recv", token); err != nil {
		return err
	}
	if p.fdRecv[fd] != nil {
		return fmt.Errorf("poller: recv on fd %d: %w", fd, os.ErrExist)
	}
	h := windows.Handle(fd)
	if err := p.associate(h); err != nil {
		return fmt.Errorf("poller: recv on fd %d: %w", fd, err)
	}
	c := &cop{op: completion.OpRecv, fd: fd, h: h, token: token}
	if err := p.issue(c); err != nil {
		return os.NewSyscallError("wsarecv", err)
	}
	p.multi[multiKey(completion.OpRecv, token)] = c
	p.fdRecv[fd] = c
	return nil
}

// Send writes bufs to fd with one overlapped WSASend.
func (p *iocp) Send(fd int, bufs [][]byte, token uint64) error {
	if err := p.check("send", token); err != nil {
		return err
	}
	h := windows.Handle(fd)
	if !p.assoc[h] {
		if err := p.associate(h); err != nil {
			return fmt.Errorf("poller: send on fd %d: %w", fd, err)
		}
	}
	c := p.newSend()
	c.fd, c.h, c.token = fd, h, token
	for _, b := range bufs {
		if len(b) > 0 {
			c.iov = append(c.iov, windows.WSABuf{Len: uint32(len(b)), Buf: &b[0]})
		}
	}
	if len(c.iov) == 0 {
		p.pend = append(p.pend, completion.Completion{Op: completion.OpSend, Token: token})
		p.recycle(c)
		return nil
	}
	if err := p.issue(c); err != nil {
		p.recycle(c)
		return os.NewSyscallError("wsasend", err)
	}
	return nil
}

// Connect connects fd to sa with ConnectEx.
func (p *iocp) Connect(fd int, sa windows.Sockaddr, token uint64) error {
	if err := p.check("connect", token); err != nil {
		return err
	}
	var local windows.Sockaddr
	switch sa.(type) {
	case *windows.SockaddrInet4:
		local = &windows.SockaddrInet4{}
	case *windows.SockaddrInet6:
		local = &windows.SockaddrInet6{}
	default:
		return fmt.Errorf("poller: ConnectEx to a %T: %w", sa, errors.ErrUnsupported)
	}
	h := windows.Handle(fd)
	if err := windows.Bind(h, local); err != nil && err != windows.WSAEINVAL { // WSAEINVAL: bound already
		return os.NewSyscallError("bind", err)
	}
	if err := p.associate(h); err != nil {
		return fmt.Errorf("poller: connect on fd %d: %w", fd, err)
	}
	c := &cop{op: completion.OpConnect, fd: fd, h: h, token: token, sa: sa}
	if err := p.issue(c); err != nil {
		return os.NewSyscallError("connectex", err)
	}
	return nil
}

// Cancel ends the multishot operation armed with token; its last completion
// follows. An operation that has ended already is not an error: its last
// completion is on its way.
func (p *iocp) Cancel(op completion.Op, token uint64) error {
	if p.port == 0 {
		return ErrClosed
	}
	c := p.multi[multiKey(op, token)]
	if c == nil || c.cancelled {
		return nil
	}
	c.cancelled = true
	if c.pending {
		windows.CancelIoEx(c.h, &c.ov) // ERROR_NOT_FOUND: completed, its packet is queued
	}
	return nil
}

// CancelFd ends every operation in flight on fd.
func (p *iocp) CancelFd(fd int) error {
	if p.port == 0 {
		return ErrClosed
	}
	if c := p.fdRecv[fd]; c != nil {
		c.cancelled = true
	}
	if c := p.fdAcc[fd]; c != nil {
		c.cancelled = true
	}
	windows.CancelIoEx(windows.Handle(fd), nil) // ERROR_NOT_FOUND: nothing in flight
	return nil
}

// ReleaseBuffer gives a received buffer back to the pool.
func (p *iocp) ReleaseBuffer(id uint16) { p.bufs.put(id) }

// Completions returns what the last Wait reaped.
func (p *iocp) Completions() []completion.Completion { return p.reaped }

// errRes is err as a completion's Res: the negated Winsock or system code.
func errRes(err error) int32 {
	var e syscall.Errno
	if errors.As(err, &e) {
		return -int32(e)
	}
	return -int32(windows.WSAEINVAL)
}
