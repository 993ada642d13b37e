//go:build darwin || dragonfly || freebsd || netbsd

package sockopt_test

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

// SetNoSigpipe makes writes to a broken connection fail with EPIPE instead
// of raising SIGPIPE, where the system has SO_NOSIGPIPE.
func ExampleSetNoSigpipe() {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer unix.Close(fd)
	if err := sockopt.SetNoSigpipe(fd, true); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sockopt.NoSigpipe(fd))
}
