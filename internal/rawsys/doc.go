// Package rawsys makes the system calls of non-blocking sockets (read,
// write, send, splice, and socket, accept4, getpeername, connect, shutdown,
// setsockopt, getsockopt of SO_ERROR, epoll_ctl) as raw calls, without the Go scheduler's
// entersyscall / exitsyscall around them. Such a call never waits, so the
// scheduler's bookkeeping buys nothing, and it costs about a fifth of a
// short call; calls that may wait (epoll_wait, io_uring_enter, sendfile from
// a file) stay ordinary system calls. Errors are the bare errno, for the
// caller to classify and name.
package rawsys
