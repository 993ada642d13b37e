package loop

import (
	"errors"
	"strings"
	"testing"
)

// drainTypo declares OnDrain without the Action the engine expects.
type drainTypo struct{ BaseHandler }

func (drainTypo) OnDrain(c *Conn) {}

// eofCase spells OnReadEOF with other case.
type eofCase struct{ BaseHandler }

func (eofCase) OnReadEof(c *Conn) Action { return None }

// drainOnPointer declares OnDrain on its pointer, and is given by value.
type drainOnPointer struct{ BaseHandler }

func (*drainOnPointer) OnDrain(c *Conn) Action { return None }

// fullHandler implements both optional callbacks as the engine calls them.
type fullHandler struct{ BaseHandler }

func (fullHandler) OnDrain(c *Conn) Action   { return None }
func (fullHandler) OnReadEOF(c *Conn) Action { return None }

func TestNewRefusesCallbacksThatWouldNeverRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    Handler
		want string // in the error's Method
	}{
		{"wrong signature", drainTypo{}, "OnDrain(*loop.Conn)"},
		{"wrong case", eofCase{}, "OnReadEof(*loop.Conn) loop.Action"},
		{"pointer receiver, value given", drainOnPointer{}, "not in the method set of loop.drainOnPointer"},
	} {
		e, err := New(tc.h, WithLoops(1))
		if err == nil {
			e.Stop(t.Context())
			t.Errorf("%s: New succeeded", tc.name)
			continue
		}
		var he *HandlerError
		if !errors.As(err, &he) || !strings.Contains(he.Method, tc.want) {
			t.Errorf("%s: New = %v, want a *HandlerError naming %q", tc.name, err, tc.want)
		}
	}
	if _, err := New(nil); !errors.Is(err, ErrNilHandler) {
		t.Errorf("New(nil) = %v, want ErrNilHandler", err)
	}
	for _, h := range []Handler{fullHandler{}, &drainOnPointer{}, BaseHandler{}, &echoHandler{}} {
		e, err := New(h, WithLoops(1), WithLogger(quietLogger))
		if err != nil {
			t.Errorf("New(%T) = %v, want nil", h, err)
			continue
		}
		e.Stop(t.Context())
	}
}
