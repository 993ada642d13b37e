//go:build unix

package conn

import "golang.org/x/sys/unix"

// The system's socket address types, named so that addr.go is portable.
type (
	sysSockaddr      = unix.Sockaddr
	sysSockaddrInet4 = unix.SockaddrInet4
	sysSockaddrInet6 = unix.SockaddrInet6
	sysSockaddrUnix  = unix.SockaddrUnix

	sysRawSockaddrUnix = unix.RawSockaddrUnix
)

// rawUnixNames: bind, connect and sends encode AF_UNIX names themselves
// (rawUnix), byte for byte, and never in x/sys's spelling.
const rawUnixNames = true
