//go:build unix && !linux

package conn

import "golang.org/x/sys/unix"

// decodeOSAddr decodes no further families here.
func decodeOSAddr(unix.Sockaddr) Addr { return nil }
