//go:build !linux && !darwin

package loop

import (
	"errors"
	"net/netip"
)

// The BSDs report a datagram's destination with IP_RECVDSTADDR, which the
// ancillary package does not decode yet.
func receivedOn([]byte) (netip.Addr, int, error) {
	return netip.Addr{}, 0, errors.ErrUnsupported
}

func appendSource(b []byte, _ netip.Addr, _ int) ([]byte, error) { return b, errors.ErrUnsupported }
