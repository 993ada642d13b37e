//go:build unix

package conn

import (
	"errors"
	"strconv"
	"syscall"
	"testing"
)

// pyIfNames prints what CPython's if_indextoname and if_nametoindex give
// for the interface index and name in its arguments, index 0, an index no
// interface has, and a name none has: the name or index, or the errno
// name of the OSError ("OSError" when it carries none).
const pyIfNames = `
import errno, socket, sys
def attempt(f, *a):
    try:
        return str(f(*a))
    except OSError as e:
        return errno.errorcode[e.errno] if e.errno else "OSError"
index, name = int(sys.argv[1]), sys.argv[2]
for i in (index, 0, 1 << 30):
    print(attempt(socket.if_indextoname, i))
for n in (name, "sockloop-none0"):
    print(attempt(socket.if_nametoindex, n))
`

// TestIfNamesAsCPython: unknown interfaces and index 0 are OS errors with
// the C library's errno (ENXIO for if_indextoname, which CPython shows).
func TestIfNamesAsCPython(t *testing.T) {
	ifs, err := IfNameIndex()
	must(t, err)
	if len(ifs) == 0 {
		t.Skip("no interfaces")
	}
	ifi := ifs[0]
	show := func(v string, err error) string {
		var errno syscall.Errno
		var op *OpError
		switch {
		case err == nil:
			return v
		case !errors.As(err, &op):
			return "not an *OpError: " + err.Error()
		case errors.Is(err, syscall.ENODEV):
			return "OSError" // CPython drops if_nametoindex's errno
		case errors.As(err, &errno) && errno == syscall.ENXIO:
			return "ENXIO"
		}
		return err.Error()
	}
	var got []string
	for _, i := range []int{ifi.Index, 0, 1 << 30} {
		got = append(got, show(IfIndexToName(i)))
	}
	for _, n := range []string{ifi.Name, "sockloop-none0"} {
		i, err := IfNameToIndex(n)
		got = append(got, show(strconv.Itoa(i), err))
	}
	want := []string{ifi.Name, "ENXIO", "ENXIO", strconv.Itoa(ifi.Index), "OSError"}
	sameAsCPython(t, got, want, pyIfNames, strconv.Itoa(ifi.Index), ifi.Name)
	if _, err := IfIndexToName(-1); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("IfIndexToName(-1): %v, want a *ValueError", err)
	}
}
