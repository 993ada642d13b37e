//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd && !windows

package poller

import (
	"errors"
	"fmt"
	"runtime"
)

func newPoller(Options) (Poller, error) {
	return nil, fmt.Errorf("poller: no readiness backend for %s: %w", runtime.GOOS, errors.ErrUnsupported)
}
