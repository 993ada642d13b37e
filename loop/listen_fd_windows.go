package loop

import (
	"errors"
	"net"
)

var errNotSocket = errors.New("not a socket the engine can serve")

// ListenFD serves an already bound socket given by its descriptor; on
// Windows it fails with an error matching errors.ErrUnsupported.
func (e *Engine) ListenFD(fd int) (net.Addr, error) {
	return nil, &net.OpError{Op: "listen", Net: "fd", Err: errors.ErrUnsupported}
}

// ListenSystemd serves the sockets systemd passed; Windows has no socket
// activation: it returns no addresses and no error.
func (e *Engine) ListenSystemd() ([]net.Addr, error) { return nil, nil }
