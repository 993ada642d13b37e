// Package conn is the socket object of sockloop, modelled on Python's socket
// module: every call of a Python socket object, the module functions beside
// it, and the three timeout modes, shaped the Go way.
//
// # Descriptors and the runtime poller
//
// Every Socket owns one descriptor, opened close-on-exec and kept in
// non-blocking mode inside, registered with Go's runtime poller through an
// *os.File. A call that has to wait parks its goroutine in the poller; no OS
// thread is held per socket. Close from another goroutine wakes every waiting
// call, which then fails with an error that matches net.ErrClosed.
//
// # The three modes
//
// What users see follows CPython, whatever the descriptor's own flag says:
//
//   - blocking (timeout NoTimeout, the default): a call waits until it is done
//     or the system reports an error;
//   - non-blocking (timeout 0): a call that cannot complete at once fails with
//     an error that matches ErrWouldBlock and unix.EAGAIN (or EINPROGRESS
//     for Connect);
//   - timeout (d > 0): each call waits at most d, then fails with an error
//     that matches ErrTimeout and os.ErrDeadlineExceeded and whose Timeout
//     method reports true. SendAll counts d once for the whole call.
//
// SetBlocking(true) is SetTimeout(NoTimeout); SetBlocking(false) is
// SetTimeout(0); Blocking reports whether the timeout is not 0. New sockets
// take DefaultTimeout. A socket opened with SOCK_NONBLOCK in its type starts
// with timeout 0, and Type hides the flag. Accept hands back sockets with the
// default timeout, not the listener's. Calls interrupted by signals (EINTR)
// are retried.
//
// Because the descriptor stays non-blocking inside, Fileno hands out a
// descriptor whose O_NONBLOCK flag does not follow the mode; Detach sets
// O_NONBLOCK to match the mode (clear only for NoTimeout) before it hands the
// descriptor over.
//
// Two consequences of the non-blocking descriptor: MSG_WAITALL in blocking
// mode is completed by reading again until the buffer is full (as the
// kernel does for a blocking descriptor), and connect to an AF_UNIX
// listener whose backlog is full fails with EAGAIN, as in Go's net, where a
// blocking CPython socket would sleep.
//
// # Go shapes
//
// A Socket is a net.Conn (Read, Write, deadlines) for stream sockets, and an
// io.ReaderFrom; Socket.PacketConn gives a net.PacketConn view and
// Socket.Listener a net.Listener view. net.Conn deadlines and the Python
// timeout combine: a call waits until the earlier of the two. Two calls in
// the same direction at once on one socket in timeout mode share one
// deadline, the later one's.
//
// # Addresses
//
// Addresses are typed per family: Inet4Addr, Inet6Addr (flow information
// and scope id), UnixAddr (paths and Linux abstract names), and on Linux
// PacketAddr, NetlinkAddr, VSockAddr, CANAddr and ALGAddr. An abstract
// name is given as UnixAddr{Path: name, Abstract: true}, or as CPython
// takes it, a Path that begins with a NUL byte; a path that begins with
// '@' is a file like any other (Windows refuses it, as x/sys would send it
// as abstract). Unnamed AF_UNIX sockets report UnixAddr{}. Inet4 and Inet6
// build unresolved (host, port) addresses as Python's tuples are; host names
// are resolved with Go's resolver when the address is used.
//
// # Module functions
//
// GetAddrInfo, GetNameInfo, the GetHostBy* and GetServBy* lookups and the
// Inet* conversions are written in Go and work with cgo off: /etc/hosts,
// /etc/services, /etc/protocols and DNS through Go's resolver. Where their
// results can differ from glibc's is written on each function.
//
// # Messages and descriptors
//
// RecvMsgInto and SendMsg make one recvmsg(2) or sendmsg(2) over the
// caller's buffers, in place, through an iovec scratch kept per direction on
// the Socket, so they allocate nothing in steady state. Ancillary data is raw
// control-message bytes; package ancillary builds and parses them. Received
// descriptors are close-on-exec (MSG_CMSG_CLOEXEC on Linux and FreeBSD), and
// when MSG_CTRUNC is set every descriptor that reached the process but not
// the caller's control bytes is closed. SendFDs and RecvFDs are Python's
// send_fds and recv_fds.
//
// # Windows
//
// On Windows a Socket is an overlapped Winsock handle on one completion
// port shared by the package, served by one goroutine; a call tries once
// without waiting and otherwise waits on an overlapped WSARecv, WSASend,
// AcceptEx or ConnectEx, which a deadline or Close cancels. The three modes
// behave as above, with windows.WSAEWOULDBLOCK for the would-block error.
// Socketpair is emulated over loopback TCP as CPython does; Share,
// FromShare and Ioctl (SIO_RCVALL, SIO_KEEPALIVE_VALS,
// SIO_LOOPBACK_FAST_PATH) are Windows-only; RecvMsg, SendMsg and the
// descriptor-passing calls fail with an *UnsupportedError.
//
// # Errors
//
// Errors come in three layers: the errno, wrapped by os.NewSyscallError
// naming the system call, wrapped in an *OpError naming the operation and
// the addresses. errors.Is(err, syscall.ECONNREFUSED) and the like hold.
// Bad input (a wrong address form for the family, a negative size) returns an
// error and never panics.
package conn
