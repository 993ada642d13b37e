package ancillary_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
		outputs := testOutputs()
		for _, fd := range after {
			if slices.Contains(before, fd) {
				continue
			}
			target, _ := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
			if slices.Contains(outputs, target) {
				continue
			}
			fmt.Fprintf(os.Stderr, "fd %d (%s) leaked by the tests\n", fd, target)
			code = 1
		}
	}
	os.Exit(code)
}

// testOutputs returns the absolute paths of the files that the testing
// package itself keeps open after the tests (profiles, traces), so that
// `go test -cpuprofile` is not taken for a leak.
func testOutputs() []string {
	dir := ""
	if f := flag.Lookup("test.outputdir"); f != nil {
		dir = f.Value.String()
	}
	var paths []string
	for _, name := range []string{"cpuprofile", "memprofile", "blockprofile", "mutexprofile", "trace", "coverprofile"} {
		f := flag.Lookup("test." + name)
		if f == nil || f.Value.String() == "" {
			continue
		}
		p := f.Value.String()
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if abs, err := filepath.Abs(p); err == nil {
			paths = append(paths, abs)
		}
	}
	return paths
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
