//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package ancillary

import "golang.org/x/sys/unix"

// timestampLayout returns the layout of a SOL_SOCKET message of type typ
// on macOS and the BSDs, where only SCM_TIMESTAMP (a timeval) is decoded.
func timestampLayout(typ int) tsLayout {
	if typ == unix.SCM_TIMESTAMP {
		return tsTimeval
	}
	return tsNone
}
