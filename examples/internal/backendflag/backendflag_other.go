//go:build !linux

package backendflag

import "github.com/sockloop/sockloop/poller"

// Elsewhere there is one poller (kqueue or an I/O completion port), named
// by the empty default.
const (
	defaultName = ""
	usage       = "poller backend: leave empty for the platform's poller (kqueue or IOCP)"
	choiceNames = "an empty name for the platform's poller"
)

var choices = []poller.Backend{poller.Default}
