package conn

import "golang.org/x/sys/windows"

// The system's socket address types, named so that addr.go is portable.
type (
	sysSockaddr      = windows.Sockaddr
	sysSockaddrInet4 = windows.SockaddrInet4
	sysSockaddrInet6 = windows.SockaddrInet6
	sysSockaddrUnix  = windows.SockaddrUnix

	sysRawSockaddrUnix = windows.RawSockaddrUnix
)

// abstractNames: the Linux spelling of abstract AF_UNIX names reaches
// Winsock through x/sys.
const abstractNames = true

// rawUnixNames: AF_UNIX names reach Winsock in x/sys's spelling, where a
// leading '@' means abstract.
const rawUnixNames = false

// decodeOSAddr decodes no further families here.
func decodeOSAddr(windows.Sockaddr) Addr { return nil }
