// Package uring is the io_uring glue behind sockloop's completion backend:
// the kernel structures, ring setup and teardown, submission and completion
// queue access, provided buffer rings and SQE preparation helpers.
//
// The package is Linux-only; on other systems it is empty. It is written on
// raw system calls from golang.org/x/sys/unix and mmap, without cgo or
// liburing.
//
// # One turn of a loop
//
// Queue work with GetSQE and the SQE.Prep helpers, then make one
// SubmitAndWait call that submits it and waits for completions, then drain
// them with ReapCQEs (or PeekCQE and AdvanceCQ). ReapCQEs also brings in
// completions the kernel held back after a CQ overflow. Multishot operations
// stay armed while their completions carry IORING_CQE_F_MORE and must be
// re-armed once one arrives without it (after -ENOBUFS from an empty buffer
// ring, for instance). Other goroutines wake a waiting ring with SendMsgRing.
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
