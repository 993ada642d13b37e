package ancillary_test

import (
	"testing"

	"github.com/sockloop/sockloop/ancillary"
)

// decodeAllOS runs the Linux-only decoders on m.
func decodeAllOS(t *testing.T, m ancillary.Message, check func(error)) {
	t.Helper()
	_, err := m.Credentials()
	check(err)
	_, err = m.Inet4PacketInfo()
	check(err)
	_, err = m.GROSegmentSize()
	check(err)
	_, err = m.UDPSegmentSize()
	check(err)
}
