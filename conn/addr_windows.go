package conn

import "golang.org/x/sys/windows"

// The system's socket address types, named so that addr.go is portable.
type (
	sysSockaddr      = windows.Sockaddr
	sysSockaddrInet4 = windows.SockaddrInet4
	sysSockaddrInet6 = windows.SockaddrInet6
	sysSockaddrUnix  = windows.SockaddrUnix
)

// decodeOSAddr decodes no further families here.
func decodeOSAddr(windows.Sockaddr) Addr { return nil }
