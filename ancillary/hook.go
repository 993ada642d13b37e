//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import "golang.org/x/sys/unix"

// closeFD closes a received fd; tests replace it to observe closes without
// closing the process's own descriptors.
var closeFD = unix.Close
