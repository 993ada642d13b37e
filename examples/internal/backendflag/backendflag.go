// Package backendflag is the -backend flag every example that runs loops
// takes: epoll or io_uring on Linux, the platform's only poller elsewhere.
package backendflag

import (
	"flag"
	"fmt"
	"os"

	"github.com/sockloop/sockloop/poller"
)

// Register adds -backend to the default flag set; after flag.Parse, the
// returned function gives the chosen backend, or prints why the name is
// unknown, prefixed by prog, and exits with status 2.
func Register(prog string) func() poller.Backend {
	name := flag.String("backend", defaultName, usage)
	return func() poller.Backend {
		for _, b := range choices {
			if *name == string(b) {
				return b
			}
		}
		fmt.Fprintf(os.Stderr, "%s: unknown backend %q; use %s\n", prog, *name, choiceNames)
		os.Exit(2)
		return poller.Default
	}
}
