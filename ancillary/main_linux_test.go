package ancillary_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
)

// TestMain fails the run when the tests leave descriptors open that were
// not open before them (received fds that were never closed, above all).
func TestMain(m *testing.M) {
	// Start the runtime's poller first: its epoll fd and wake-up pipe stay
	// open for the life of the process and are not a leak.
	if r, w, err := os.Pipe(); err == nil {
		r.Close()
		w.Close()
	}
	before, err := openFDs()
	if err != nil {
		fmt.Fprintln(os.Stderr, "listing fds:", err)
		os.Exit(2)
	}
	code := m.Run()
	after, err := openFDs()
	if err != nil {
		fmt.Fprintln(os.Stderr, "listing fds:", err)
		os.Exit(2)
	}
	if code == 0 {
		for _, fd := range after {
			if !slices.Contains(before, fd) {
				target, _ := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
				fmt.Fprintf(os.Stderr, "fd %d (%s) leaked by the tests\n", fd, target)
				code = 1
			}
		}
	}
	os.Exit(code)
}

// openFDs lists the descriptors open in this process, without the one used
// to read the list.
func openFDs() ([]int, error) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	var fds []int
	for _, n := range names {
		fd, err := strconv.Atoi(n)
		if err == nil && uintptr(fd) != d.Fd() {
			fds = append(fds, fd)
		}
	}
	slices.Sort(fds)
	return fds, nil
}
