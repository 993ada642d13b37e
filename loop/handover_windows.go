package loop

import (
	"errors"
	"net"
	"os"
)

// ListenerFiles would duplicate the engine's listening sockets for a new
// process; Windows hands sockets to another process only through
// WSADuplicateSocket, which the engine does not do: it fails with an
// error matching errors.ErrUnsupported.
func (e *Engine) ListenerFiles() ([]*os.File, error) {
	return nil, &net.OpError{Op: "dup", Net: "fd", Err: errors.ErrUnsupported}
}
