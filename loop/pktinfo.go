//go:build linux || darwin

package loop

import (
	"net/netip"

	"github.com/sockloop/sockloop/ancillary"
)

func receivedOn(oob []byte) (netip.Addr, int, error) { return ancillary.ReceivedOn(oob) }

func appendSource(b []byte, local netip.Addr, ifindex int) ([]byte, error) {
	return ancillary.AppendSource(b, local, ifindex)
}
