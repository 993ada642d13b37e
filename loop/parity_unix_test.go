//go:build unix

package loop

import (
	"errors"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"
)

// idleConnections is how many connections parityIdleConnections opens.
var idleConnections = 10000

// processCPU returns the CPU time, user and system, the process has used.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}

// rlim converts n to the type of an Rlimit's fields, which is not the same
// on every system; like is any value of that type.
func rlim[T int64 | uint64](like T, n int) T { return T(n) }

// ensureDescriptors raises RLIMIT_NOFILE for the rest of the test so that
// the process may hold n descriptors, the hard limit too where the process
// may (as root), and skips the test where it cannot.
func ensureDescriptors(t *testing.T, n int) {
	var orig syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
		t.Fatal(err)
	}
	need := rlim(orig.Cur, n)
	if orig.Cur >= need {
		return
	}
	want := syscall.Rlimit{Cur: need, Max: max(orig.Max, need)}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		t.Skipf("needs %d descriptors; RLIMIT_NOFILE is %d (hard limit %d) and cannot be raised: %v", n, orig.Cur, orig.Max, err)
	}
	t.Cleanup(func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
			t.Errorf("restoring RLIMIT_NOFILE: %v", err)
		}
	})
}

// parityAcceptOutOfDescriptors runs the process out of descriptors while a
// connection waits to be accepted: the accept fails with EMFILE, the engine
// goes on serving the connections it has, and once descriptors are free
// again it accepts the one that waited and new ones.
// TestAcceptOutOfDescriptorsPausesAndResumes covers the pause itself with
// injected failures; here the kernel fails the accept, on every backend's
// own accept path (io_uring's included).
//
// The limit is the whole process's, so the case lowers it only for its own
// span, restores it before the next case, and never runs in parallel. It
// lowers it before the engine starts: an io_uring accept checks the limit
// in force when it was armed (the kernel reads it at the accept's
// preparation), not the one in force when a connection arrives.
func parityAcceptOutOfDescriptors(t *testing.T) {
	lowerDescriptorLimit(t)
	var logs syncBuffer
	h := newEchoHandler()
	e, addrs := startEngine(t, h, []string{"tcp://127.0.0.1:0"},
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	served := dial(t, addrs[0])
	served.SetDeadline(time.Now().Add(time.Minute)) // a failure, not a hang
	if err := echoRoundTrip(served, 1, 1000); err != nil {
		t.Fatal(err)
	}

	spares := fillDescriptors(t)
	// One descriptor for the client's socket: the server's accept of it
	// finds none.
	spares.free(1)
	waiting, err := dialConn(addrs[0])
	if err != nil {
		t.Fatalf("dial with one descriptor free: %v", err)
	}
	defer waiting.Close()
	waiting.SetDeadline(time.Now().Add(time.Minute))
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(logs.String(), "pausing accepts"); {
		if time.Now().After(deadline) {
			t.Fatalf("no accept failed for want of descriptors within 20s (the engine counts %d connections); the engine logged:\n%s",
				e.CountConnections(), logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), syscall.EMFILE.Error()) {
		t.Errorf("the accept failed, but not with EMFILE:\n%s", logs.String())
	}
	if n := e.CountConnections(); n != 1 {
		t.Errorf("the engine counts %d connections with no descriptor to accept into, want 1", n)
	}
	if err := echoRoundTrip(served, 2, 256<<10); err != nil {
		t.Fatalf("the open connection was not served while accepts failed: %v", err)
	}

	spares.free(len(spares.fds))
	if err := echoRoundTrip(waiting, 3, 64<<10); err != nil {
		t.Fatalf("the connection that waited was not served once descriptors were free: %v", err)
	}
	fresh := dial(t, addrs[0])
	fresh.SetDeadline(time.Now().Add(time.Minute))
	if err := echoRoundTrip(fresh, 4, 64<<10); err != nil {
		t.Fatalf("a new connection was not served once descriptors were free: %v", err)
	}
}

// descriptorSlack is how many descriptors lowerDescriptorLimit leaves free
// for the engine, its first connection and the spares.
const descriptorSlack = 64

// lowerDescriptorLimit lowers RLIMIT_NOFILE to a few descriptors above
// those in use until the test ends: the kernel hands out the lowest free
// descriptor, so the limit is the lowest free one plus descriptorSlack.
func lowerDescriptorLimit(t *testing.T) {
	t.Helper()
	var orig syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
		t.Fatal(err)
	}
	probe, err := syscall.Open("/dev/null", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	syscall.Close(probe)
	low := orig
	low.Cur = min(rlim(orig.Cur, probe+descriptorSlack), orig.Cur)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatalf("lowering RLIMIT_NOFILE to %d: %v", low.Cur, err)
	}
	t.Cleanup(func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &orig); err != nil {
			t.Errorf("restoring RLIMIT_NOFILE: %v", err)
		}
	})
}

// spareFDs holds descriptors that keep the descriptor table full.
type spareFDs struct{ fds []int }

// free closes n of the descriptors; each is closed once, since its number
// may belong to a new socket right after.
func (s *spareFDs) free(n int) {
	for _, fd := range s.fds[len(s.fds)-n:] {
		syscall.Close(fd)
	}
	s.fds = s.fds[:len(s.fds)-n]
}

// fillDescriptors opens /dev/null until no descriptor is left under the
// lowered limit; those still held close when the test ends.
func fillDescriptors(t *testing.T) *spareFDs {
	t.Helper()
	s := &spareFDs{}
	t.Cleanup(func() { s.free(len(s.fds)) })
	for {
		fd, err := syscall.Open("/dev/null", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if errors.Is(err, syscall.EMFILE) {
			break
		}
		if err != nil {
			t.Fatalf("filling the descriptor table: %v", err)
		}
		s.fds = append(s.fds, fd)
		if len(s.fds) > 2*descriptorSlack {
			t.Fatalf("opened %d descriptors without EMFILE: the limit was not lowered", len(s.fds))
		}
	}
	if len(s.fds) == 0 {
		t.Fatal("no descriptor was free under the lowered limit")
	}
	return s
}
