//go:build unix

package loop

import "github.com/sockloop/sockloop/ancillary"

// oobSpace is the control buffer each received datagram gets.
func oobSpace() int {
	n, _ := ancillary.Space(64)
	return n
}
