package conn

// Waiting on Windows. Every Socket's handle is overlapped and associated
// with one completion port shared by the package; one goroutine dequeues its
// completions (one OS thread for the process, like Go's own netpoller, not
// one per socket) and hands each to the call that posted it. A call first
// tries the operation without waiting (the handle is in FIONBIO mode); if
// Winsock says WSAEWOULDBLOCK and the mode allows waiting, it posts the same
// operation overlapped (WSARecv, WSASend, AcceptEx, ConnectEx) and waits
// for its completion, a deadline, or Close. On a deadline or Close it
// cancels the operation with CancelIoEx and still waits for the completion,
// so the buffers the kernel holds are never released early; an operation
// that completed anyway is reported as done, so no data is lost.

import (
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// cancelWait bounds the wait for a cancelled operation's completion; an op
// whose completion never comes is parked in abandoned for good.
const cancelWait = 5 * time.Second

// ioOp is one overlapped operation and what the kernel reads or writes
// while it is pending. ov must stay the first field: the completion hands
// back its address.
type ioOp struct {
	ov    windows.Overlapped
	done  chan struct{} // one send per completion
	buf   windows.WSABuf
	flags uint32
	qty   uint32                 // AcceptEx's count when it finishes at once
	rsa   windows.RawSockaddrAny // WSARecvFrom's sender
	rlen  int32
	to    windows.Sockaddr // WSASendto's destination, kept until completion
	acc   [2 * (unsafe.Sizeof(windows.RawSockaddrAny{}) + 16)]byte
}

func newIOOp() *ioOp { return &ioOp{done: make(chan struct{}, 1)} }

var iocp struct {
	once      sync.Once
	port      windows.Handle
	err       error
	mu        sync.Mutex
	pending   map[*windows.Overlapped]*ioOp // posted and not yet completed
	abandoned []*ioOp                       // cancelled, completion never seen
}

// completionPort creates the port and its goroutine on first use.
func completionPort() (windows.Handle, error) {
	iocp.once.Do(func() {
		iocp.pending = make(map[*windows.Overlapped]*ioOp)
		iocp.port, iocp.err = windows.CreateIoCompletionPort(windows.InvalidHandle, 0, 0, 1)
		if iocp.err == nil {
			go completionLoop(iocp.port)
		}
	})
	return iocp.port, iocp.err
}

// completionLoop hands each completion to the call waiting for it.
// Completions of operations that are not ours (a detached handle stays
// associated with the port) are dropped.
func completionLoop(port windows.Handle) {
	for {
		var qty uint32
		var key uintptr
		var ov *windows.Overlapped
		err := windows.GetQueuedCompletionStatus(port, &qty, &key, &ov, windows.INFINITE)
		if ov == nil {
			if err != nil {
				time.Sleep(time.Millisecond) // the port itself failed; do not spin
			}
			continue
		}
		iocp.mu.Lock()
		o := iocp.pending[ov]
		delete(iocp.pending, ov)
		iocp.mu.Unlock()
		if o != nil {
			o.done <- struct{}{}
		}
	}
}

// post runs start with the op registered as pending. It reports whether a
// completion will come: true when the operation is pending or finished at
// once (the port is told either way), false with the error when it failed
// to start.
func (o *ioOp) post(start func(o *ioOp) error) (bool, error) {
	o.ov = windows.Overlapped{}
	iocp.mu.Lock()
	iocp.pending[&o.ov] = o
	iocp.mu.Unlock()
	err := start(o)
	if err == nil || err == windows.ERROR_IO_PENDING {
		return true, nil
	}
	iocp.mu.Lock()
	delete(iocp.pending, &o.ov)
	iocp.mu.Unlock()
	return false, err
}

// result reads the finished operation's byte count and Winsock error.
func (o *ioOp) result(h windows.Handle) (uint32, error) {
	var qty, flags uint32
	err := windows.WSAGetOverlappedResult(h, &o.ov, &qty, false, &flags)
	return qty, err
}

// associate puts a handle on the package's completion port. A socket is
// associated once, for all its handles: a handle of a socket that is on
// the port already (duplicated in this process with Share or Dup, or given
// back after Detach) fails with ERROR_INVALID_PARAMETER, which ours says to
// accept.
func associate(h windows.Handle, ours bool) error {
	port, err := completionPort()
	if err != nil {
		return err
	}
	_, err = windows.CreateIoCompletionPort(h, port, 0, 0)
	if err == windows.ERROR_INVALID_PARAMETER && ours {
		return nil
	}
	return err
}

// onPort remembers sockets this package put on its port and then let go
// of: handles given out by Detach, and the bytes of Share for this process.
// A handle or bytes not found here may belong to another port (Go's own,
// for package net), where this package's waits would never complete.
var onPort sync.Map // windows.Handle or string -> struct{}
