package leaktest

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// maxHandle bounds the handle values OpenFDs probes. Windows hands out the
// lowest free value, a multiple of 4, so a test process's sockets stay far
// below it.
const maxHandle = 1 << 18

// soType is SO_TYPE, which only a socket answers.
const soType = 0x1008

// OpenFDs counts the process's open sockets: the descriptors this project
// opens on Windows. Other handles are left out on purpose: the Go runtime
// keeps a handle for every OS thread it starts, and under Wine each thread
// also holds host descriptors, so neither count says anything about the
// code under test.
func OpenFDs() int { return len(sockets()) }

// FDTargets lists the open sockets with their local addresses.
func FDTargets() []string {
	var targets []string
	for _, h := range sockets() {
		target := "socket"
		if sa, err := windows.Getsockname(h); err == nil {
			target = fmt.Sprintf("socket %s", describe(sa))
		}
		targets = append(targets, fmt.Sprintf("%d->%s", h, target))
	}
	return targets
}

// sockets probes every handle value for one that answers SO_TYPE.
func sockets() []windows.Handle {
	var found []windows.Handle
	for h := windows.Handle(4); h < maxHandle; h += 4 {
		if _, err := windows.GetsockoptInt(h, windows.SOL_SOCKET, soType); err == nil {
			found = append(found, h)
		}
	}
	return found
}

func describe(sa windows.Sockaddr) string {
	switch a := sa.(type) {
	case *windows.SockaddrInet4:
		return fmt.Sprintf("%v:%d", a.Addr, a.Port)
	case *windows.SockaddrInet6:
		return fmt.Sprintf("[%x]:%d", a.Addr, a.Port)
	case *windows.SockaddrUnix:
		return "unix " + a.Name
	}
	return fmt.Sprintf("%T", sa)
}
