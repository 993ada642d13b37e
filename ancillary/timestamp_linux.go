package ancillary

import "golang.org/x/sys/unix"

// timestampLayout returns the layout of a SOL_SOCKET message of type typ
// on Linux, which has microsecond and nanosecond timestamps, each in the
// native (old) and the 64-bit (new) form.
func timestampLayout(typ int) tsLayout {
	switch typ {
	case unix.SCM_TIMESTAMP:
		return tsTimeval
	case unix.SCM_TIMESTAMPNS:
		return tsTimespec
	}
	// Separate from the switch: on 64-bit systems the old and new forms
	// share a layout but not a number, elsewhere neither is certain.
	if typ == unix.SO_TIMESTAMP_NEW {
		return tsTimeval64
	}
	if typ == unix.SO_TIMESTAMPNS_NEW {
		return tsTimespec64
	}
	return tsNone
}
