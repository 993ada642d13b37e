//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package sockopt_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sockloop/sockloop/sockopt"
)

// TestUnsupported checks that options the BSDs lack report
// errors.ErrUnsupported with the option's name, before any system call.
func TestUnsupported(t *testing.T) {
	tests := []struct {
		name string
		call func() error
	}{
		{name: "TCP_QUICKACK", call: func() error { return sockopt.SetQuickAck(0, true) }},
		{name: "TCP_USER_TIMEOUT", call: func() error { _, err := sockopt.UserTimeout(0); return err }},
		{name: "TCP_DEFER_ACCEPT", call: func() error { return sockopt.SetDeferAccept(0, time.Second) }},
		{name: "SO_MARK", call: func() error { return sockopt.SetMark(0, 1) }},
		{name: "SO_BINDTODEVICE", call: func() error { return sockopt.SetBindToDevice(0, "lo0") }},
		{name: "SO_BUSY_POLL", call: func() error { _, err := sockopt.BusyPoll(0); return err }},
		{name: "SO_INCOMING_CPU", call: func() error { return sockopt.SetIncomingCPU(0, 0) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var oe *sockopt.Error
			if !errors.Is(err, errors.ErrUnsupported) || !errors.As(err, &oe) || oe.Option != tt.name {
				t.Fatalf("got %v, want ErrUnsupported naming %s", err, tt.name)
			}
		})
	}
}
