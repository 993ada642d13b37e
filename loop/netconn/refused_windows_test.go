package netconn_test

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isRefused accepts both codes a refused ConnectEx may complete with.
func isRefused(err error) bool {
	return errors.Is(err, windows.WSAECONNREFUSED) || errors.Is(err, windows.ERROR_CONNECTION_REFUSED)
}
