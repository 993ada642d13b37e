//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/sockloop/sockloop/ancillary"
)

// mustLen returns Len(n) or fails the test.
func mustLen(t testing.TB, n int) int {
	t.Helper()
	v, err := ancillary.Len(n)
	if err != nil {
		t.Fatalf("Len(%d): %v", n, err)
	}
	return v
}

// mustSpace returns Space(n) or fails the test.
func mustSpace(t testing.TB, n int) int {
	t.Helper()
	v, err := ancillary.Space(n)
	if err != nil {
		t.Fatalf("Space(%d): %v", n, err)
	}
	return v
}

// The relations CPython's test_socket checks on every platform.
func TestSizeRelations(t *testing.T) {
	hdr := mustLen(t, 0)
	if hdr != ancillary.HdrLen || hdr%ancillary.CmsgAlign != 0 {
		t.Fatalf("Len(0) = %d, want the aligned header size %d", hdr, ancillary.HdrLen)
	}
	if s := mustSpace(t, 0); s != hdr {
		t.Errorf("Space(0) = %d, want Len(0) = %d", s, hdr)
	}
	maxLen := math.MaxInt32 - hdr
	maxSpace := math.MaxInt32 - mustSpace(t, 1)
	sizes := []int{0, 1, 2, 3, 4, 7, 8, 9, 12, 15, 16, 17, 255, 4096, maxSpace - 1, maxSpace}
	for n := range 300 {
		sizes = append(sizes, n)
	}
	slices.Sort(sizes)
	prev := 0
	for _, n := range sizes {
		l, s := mustLen(t, n), mustSpace(t, n)
		if l-hdr != n {
			t.Errorf("Len(%d) - Len(0) = %d, want %d", n, l-hdr, n)
		}
		if s < l || s < n+hdr {
			t.Errorf("Space(%d) = %d, below Len(%d) = %d or n + Len(0)", n, s, n, l)
		}
		if s%ancillary.CmsgAlign != 0 || s-l >= ancillary.CmsgAlign {
			t.Errorf("Space(%d) = %d is not Len(%d) = %d rounded up to %d", n, s, n, l, ancillary.CmsgAlign)
		}
		if s < prev {
			t.Errorf("Space(%d) = %d decreased from %d", n, s, prev)
		}
		prev = s
	}
	if l := mustLen(t, maxLen); l != math.MaxInt32 {
		t.Errorf("Len(%d) = %d, want MaxInt32", maxLen, l)
	}
	if s := mustSpace(t, maxSpace); s > math.MaxInt32 {
		t.Errorf("Space(%d) = %d overflows int32", maxSpace, s)
	}
}

func TestSizeOutOfRange(t *testing.T) {
	maxLen := math.MaxInt32 - mustLen(t, 0)
	maxSpace := math.MaxInt32 - mustSpace(t, 1)
	tests := []struct {
		name string
		f    func(int) (int, error)
		op   string
		n    int
	}{
		{name: "Len(-1)", f: ancillary.Len, op: "Len", n: -1},
		{name: "Len(MinInt)", f: ancillary.Len, op: "Len", n: math.MinInt},
		{name: "Len(max+1)", f: ancillary.Len, op: "Len", n: maxLen + 1},
		{name: "Len(MaxInt)", f: ancillary.Len, op: "Len", n: math.MaxInt},
		{name: "Space(-1)", f: ancillary.Space, op: "Space", n: -1},
		{name: "Space(max+1)", f: ancillary.Space, op: "Space", n: maxSpace + 1},
		{name: "Space(MaxInt)", f: ancillary.Space, op: "Space", n: math.MaxInt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := tt.f(tt.n)
			if !errors.Is(err, ancillary.ErrRange) {
				t.Fatalf("got %d, %v; want an error matching ErrRange", v, err)
			}
			var se *ancillary.SizeError
			if !errors.As(err, &se) || se.Op != tt.op || se.N != tt.n {
				t.Fatalf("error %#v, want a *SizeError{Op: %q, N: %d}", err, tt.op, tt.n)
			}
			if v != 0 {
				t.Errorf("value %d returned with the error, want 0", v)
			}
		})
	}
}
