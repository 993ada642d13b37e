package ancillary_test

import (
	"errors"
	"testing"

	"github.com/sockloop/sockloop/ancillary"
)

// The values CPython 3.11 reports for socket.CMSG_LEN / CMSG_SPACE on
// Linux x86_64, and the first sizes it refuses.
func TestSizeCPythonLinuxAMD64(t *testing.T) {
	tests := []struct {
		n, cmsgLen, cmsgSpace int
	}{
		{n: 0, cmsgLen: 16, cmsgSpace: 16},
		{n: 1, cmsgLen: 17, cmsgSpace: 24},
		{n: 4, cmsgLen: 20, cmsgSpace: 24},
		{n: 8, cmsgLen: 24, cmsgSpace: 24},
		{n: 12, cmsgLen: 28, cmsgSpace: 32},
		{n: 16, cmsgLen: 32, cmsgSpace: 32},
	}
	for _, tt := range tests {
		if l := mustLen(t, tt.n); l != tt.cmsgLen {
			t.Errorf("Len(%d) = %d, want %d", tt.n, l, tt.cmsgLen)
		}
		if s := mustSpace(t, tt.n); s != tt.cmsgSpace {
			t.Errorf("Space(%d) = %d, want %d", tt.n, s, tt.cmsgSpace)
		}
	}
	if l := mustLen(t, 2147483631); l != 2147483647 {
		t.Errorf("Len(2147483631) = %d, want 2147483647", l)
	}
	if _, err := ancillary.Len(2147483632); !errors.Is(err, ancillary.ErrRange) {
		t.Errorf("Len(2147483632): err = %v, want ErrRange", err)
	}
	mustSpace(t, 2147483623)
	if _, err := ancillary.Space(2147483624); !errors.Is(err, ancillary.ErrRange) {
		t.Errorf("Space(2147483624): err = %v, want ErrRange", err)
	}
}
