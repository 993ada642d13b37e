package ancillary_test

import (
	"testing"

	"github.com/sockloop/sockloop/ancillary"
)

// decodeAllOS runs the macOS-only decoders on m.
func decodeAllOS(t *testing.T, m ancillary.Message, check func(error)) {
	t.Helper()
	_, err := m.Inet4PacketInfo()
	check(err)
}
