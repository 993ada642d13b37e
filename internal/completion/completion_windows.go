package completion

import "golang.org/x/sys/windows"

// Connector is the Completer's connect operation (ConnectEx) on Windows,
// where x/sys/windows describes socket addresses; the loop finds it with a
// type assertion, as on Unix.
type Connector interface {
	// Connect connects the socket fd, which need not be bound, to sa; its
	// completion (OpConnect) has Res 0 once connected, else the negated
	// Winsock error code.
	Connect(fd int, sa windows.Sockaddr, token uint64) error
}
