package sockopt_test

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/sockopt"
)

func ExampleSetNoDelay() {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer unix.Close(fd)

	if err := sockopt.SetNoDelay(fd, true); err != nil {
		fmt.Println(err)
		return
	}
	on, err := sockopt.NoDelay(fd)
	fmt.Println(on, err)

	_, err = sockopt.NoDelay(-1)
	fmt.Println(err)
	// Output:
	// true <nil>
	// sockopt TCP_NODELAY: getsockopt: bad file descriptor
}
