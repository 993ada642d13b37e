//go:build unix

package completion

import "golang.org/x/sys/unix"

// Connector is the Completer's connect operation, where x/sys/unix describes
// socket addresses; the loop finds it with a type assertion.
type Connector interface {
	// Connect connects the socket fd to sa; its completion (OpConnect) has
	// Res 0 once connected, else the negated errno connect(2) would return.
	Connect(fd int, sa unix.Sockaddr, token uint64) error
}
