//go:build dragonfly || freebsd || netbsd || openbsd

package ancillary_test

import (
	"testing"

	"github.com/sockloop/sockloop/ancillary"
)

// decodeAllOS has no decoders to add on the BSDs.
func decodeAllOS(t *testing.T, m ancillary.Message, check func(error)) {}
