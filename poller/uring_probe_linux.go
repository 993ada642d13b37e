package poller

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/internal/uring"
)

// uringUsable reports, once per process, whether this kernel lets the
// io_uring backend run; an error matches errors.ErrUnsupported.
var uringUsable = sync.OnceValue(probeURing)

// probed is the kernel's answer to IORING_REGISTER_PROBE, kept by probeURing.
var probed *uring.Probe

// uringProbe returns the probe's answer, nil where io_uring is unusable.
func uringProbe() *uring.Probe {
	if uringUsable() != nil {
		return nil
	}
	return probed
}

// uringFeatures are what the backend relies on: a timeout on the wait
// (EXT_ARG, Linux 5.11), no completion lost to a full CQ ring (NODROP, 5.5)
// and cancellations that post nothing when they succeed (CQE_SKIP, 5.17,
// which also implies multishot poll, 5.13).
var uringFeatures = []struct {
	bit  uint32
	name string
}{
	{uring.IORING_FEAT_EXT_ARG, "IORING_FEAT_EXT_ARG"},
	{uring.IORING_FEAT_NODROP, "IORING_FEAT_NODROP"},
	{uring.IORING_FEAT_CQE_SKIP, "IORING_FEAT_CQE_SKIP"},
}

// uringOpcodes are the opcodes the backend submits.
var uringOpcodes = []struct {
	op   uint8
	name string
}{
	{uring.IORING_OP_POLL_ADD, "IORING_OP_POLL_ADD"},
	{uring.IORING_OP_ASYNC_CANCEL, "IORING_OP_ASYNC_CANCEL"},
}

// newProbeRing sets up the ring probeURing asks; tests replace it to make
// io_uring_setup fail as kernels and sandboxes do.
var newProbeRing = func() (*uring.Ring, error) { return uring.New(2, uring.Options{}) }

// probeURing sets up a small ring, asks it for the features and opcodes the
// backend needs and closes it.
func probeURing() error {
	// A SINGLE_ISSUER ring answers only the thread that created it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	r, err := newProbeRing()
	if err != nil {
		return unsupported(IOURing, setupFailure(err))
	}
	defer r.Close()
	for _, f := range uringFeatures {
		if r.Features()&f.bit == 0 {
			return unsupported(IOURing, "kernel lacks "+f.name)
		}
	}
	probe, err := r.Probe()
	if err != nil {
		return unsupported(IOURing, "probe: "+err.Error())
	}
	probed = probe
	for _, o := range uringOpcodes {
		if !probe.Supported(o.op) {
			return unsupported(IOURing, "kernel lacks "+o.name)
		}
	}
	bounded = probeBoundedRecv(r)
	return nil
}

// bounded is whether the kernel ends a multishot receive after the bytes
// its optlen gives (Linux 6.16), as probeURing found.
var bounded bool

// boundedRecv reports whether multishot receives take a byte limit.
func boundedRecv() bool { return uringUsable() == nil && bounded }

// probeBoundedRecv asks r whether a multishot receive takes a byte limit.
// The receive names no descriptor: a kernel that reads the limit checks the
// descriptor next and answers EBADF, an older one refuses the nonzero field
// when it prepares the request, with EINVAL.
func probeBoundedRecv(r *uring.Ring) bool {
	sqe := r.GetSQE()
	if sqe == nil {
		return false
	}
	sqe.PrepRecvMultishot(-1, 0, 0)
	sqe.SpliceFdIn = 1 << 16
	if _, err := r.SubmitAndWait(1, time.Second); err != nil {
		return false
	}
	cqe := r.PeekCQE()
	if cqe == nil {
		return false
	}
	res := cqe.Res
	r.AdvanceCQ(1)
	return res == -int32(unix.EBADF)
}

// setupFailure explains why io_uring_setup failed.
func setupFailure(err error) string {
	switch {
	case errors.Is(err, unix.ENOSYS):
		return "kernel built without io_uring: " + err.Error()
	case errors.Is(err, unix.EPERM):
		why := "a seccomp filter or kernel.io_uring_disabled"
		if b, rerr := os.ReadFile("/proc/sys/kernel/io_uring_disabled"); rerr == nil {
			if v := strings.TrimSpace(string(b)); v != "0" {
				why = "kernel.io_uring_disabled = " + v
			} else {
				why = "a seccomp filter (kernel.io_uring_disabled = 0)"
			}
		}
		return fmt.Sprintf("refused by %s: %v", why, err)
	}
	return err.Error()
}
