//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd && !windows

package poller

import "errors"

// newPoller reports that this system has no backend (wasm, plan9, ...).
func newPoller(Options) (Poller, error) {
	return nil, errors.Join(errors.New("poller: no readiness backend on this system"), errors.ErrUnsupported)
}
