// Package uring is the io_uring glue behind sockloop's completion backend:
// the kernel structures, ring setup and teardown, submission and completion
// queue access, provided buffer rings and SQE preparation helpers.
//
// The package is Linux-only; on other systems it is empty. It is written on
// raw system calls from golang.org/x/sys/unix and mmap, without cgo or
// liburing.
//
// # Threads
//
// A Ring set up with IORING_SETUP_SINGLE_ISSUER (the default) belongs to the
// OS thread that created it: the kernel refuses submissions and waits from any
// other thread with EEXIST. The goroutine that calls New must therefore hold
// runtime.LockOSThread for as long as it uses the ring, and no other goroutine
// may touch the ring. Rings are not safe for concurrent use in any mode.
//
// # Memory handed to the kernel
//
// An SQE carries addresses as integers, which the garbage collector does not
// see. Buffers, iovecs, msghdrs, sockaddrs and timespecs referenced by an SQE
// must be kept reachable by the caller until the operation's completion (or
// for a timeout, its expiry or cancellation) has been reaped. Go's heap does
// not move, so keeping the memory referenced is enough.
package uring
