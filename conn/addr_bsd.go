//go:build unix && !linux

package conn

import "golang.org/x/sys/unix"

// abstractNames: the BSDs have no abstract AF_UNIX names; a name there is
// a path or nothing.
const abstractNames = false

// decodeOSAddr decodes no further families here.
func decodeOSAddr(unix.Sockaddr) Addr { return nil }
