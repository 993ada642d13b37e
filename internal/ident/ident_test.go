package ident

import (
	"bytes"
	"testing"
)

// TestMark: a reader and a place make the same Mark each time; another
// reader or place does not, and a Mark of no pointer reader (or the zero
// Mark) matches nothing, not even itself.
func TestMark(t *testing.T) {
	a, b := new(bytes.Buffer), new(bytes.Buffer)
	buf := make([]byte, 8)
	if !MarkOf(a, buf).Same(MarkOf(a, buf)) {
		t.Fatal("a reader and buffer do not make the same Mark twice")
	}
	for name, o := range map[string]Mark{"another reader": MarkOf(b, buf), "another place": MarkOf(a, buf[1:])} {
		if MarkOf(a, buf).Same(o) {
			t.Errorf("%s makes the same Mark", name)
		}
	}
	for name, o := range map[string]Mark{"the zero Mark": {}, "a reader that is no pointer": MarkOf(bytes.Buffer{}, buf), "nil": MarkOf(nil, buf)} {
		if o.Same(o) {
			t.Errorf("%s matches itself", name)
		}
	}
}
