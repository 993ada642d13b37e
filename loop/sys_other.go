//go:build !linux

package loop

// Where the kernel's behaviour is not checked here, the loop asks: SO_ERROR
// after every connect (connectResult), TCP_NODELAY on every accepted socket
// (presetNoDelay).
const (
	connectFailuresPolled = false
	acceptInheritsNoDelay = false
)
