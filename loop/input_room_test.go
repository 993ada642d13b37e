package loop

import (
	"testing"

	"github.com/sockloop/sockloop/internal/buffer"
)

// TestInputRoomCopiesBounded grows a connection's input the way read does
// while a large frame arrives and nothing consumes it, with reads of a few
// sizes: the bytes moved by buffer growth stay within a small multiple of
// the frame, and the buffer within about twice the bytes it holds.
func TestInputRoomCopiesBounded(t *testing.T) {
	const frame = 64 << 20
	for _, readSize := range []int{16 << 10, 256 << 10, 3 << 20} {
		var stash buffer.Inbound
		in := stash.Keep(make([]byte, 100)) // leftovers: reads land in the stash
		moved, peak := 0, 0
		for len(in) < frame {
			room, rest := stash.Spare(in, inputRoom(len(in)))
			if len(rest) > 0 && &rest[0] != &in[0] {
				moved += len(rest)
			}
			n := min(len(room), readSize)
			in = stash.Extend(rest, n)
			peak = max(peak, cap(room)+len(in))
		}
		if moved > 4*frame {
			t.Errorf("reads of %d bytes: %d MB moved to take a %d MB frame, want at most 4x", readSize, moved>>20, frame>>20)
		}
		if peak > 3*len(in) {
			t.Errorf("reads of %d bytes: buffer of %d MB for %d MB", readSize, peak>>20, len(in)>>20)
		}
		stash.Release()
	}
}
