//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

import (
	"time"

	"golang.org/x/sys/unix"
)

// tsLayout is how a timestamp message lays out its time.
type tsLayout int

const (
	tsNone       tsLayout = iota // not a timestamp message
	tsTimeval                    // struct timeval
	tsTimespec                   // struct timespec
	tsTimeval64                  // two int64: seconds, microseconds
	tsTimespec64                 // two int64: seconds, nanoseconds
)

// Timestamp decodes a socket receive timestamp into a wall-clock time:
// SCM_TIMESTAMP (a struct timeval, delivered with SO_TIMESTAMP set) on every
// system, and on Linux also SCM_TIMESTAMPNS (a struct timespec, with
// SO_TIMESTAMPNS) and the 64-bit SO_TIMESTAMP_NEW / SO_TIMESTAMPNS_NEW
// forms. It returns a *DecodeError for another kind of message, data of the
// wrong size, or a fraction of a second out of range.
func (m Message) Timestamp() (time.Time, error) {
	layout := tsNone
	if m.Level == unix.SOL_SOCKET {
		layout = timestampLayout(m.Type)
	}
	var sec, frac, unit int64 // frac counts units of unit nanoseconds
	var ok bool
	switch layout {
	case tsTimeval:
		var tv unix.Timeval
		ok = readInto(&tv, m.Data)
		sec, frac, unit = int64(tv.Sec), int64(tv.Usec), 1e3
	case tsTimespec:
		var ts unix.Timespec
		ok = readInto(&ts, m.Data)
		sec, frac, unit = int64(ts.Sec), int64(ts.Nsec), 1
	case tsTimeval64, tsTimespec64:
		var v [2]int64
		ok = readInto(&v, m.Data)
		sec, frac, unit = v[0], v[1], 1
		if layout == tsTimeval64 {
			unit = 1e3
		}
	default:
		return time.Time{}, m.decodeError("Timestamp", ErrMismatch)
	}
	if !ok || frac < 0 || frac >= 1e9/unit {
		return time.Time{}, m.decodeError("Timestamp", ErrMalformed)
	}
	return time.Unix(sec, frac*unit), nil
}
