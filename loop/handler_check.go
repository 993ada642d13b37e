package loop

import (
	"fmt"
	"reflect"
	"strings"
)

// optionalCallbacks are the callbacks a handler may add beside Handler's,
// found by type assertion; a method that resembles one without satisfying
// it would be silently never called, so New refuses it (checkHandler).
var optionalCallbacks = []reflect.Type{
	reflect.TypeFor[ReadEOFHandler](),
	reflect.TypeFor[DrainHandler](),
	reflect.TypeFor[TimeoutHandler](),
	reflect.TypeFor[LoopTickHandler](),
	reflect.TypeFor[DialErrorHandler](),
	reflect.TypeFor[StopHandler](),
}

// HandlerError reports a handler method that looks like an optional
// callback (ReadEOFHandler, DrainHandler, TimeoutHandler, LoopTickHandler,
// DialErrorHandler, StopHandler) but would never be called: its name
// matches one but for case, its signature differs, or it is declared on the
// pointer type while the handler was given by value.
type HandlerError struct {
	Handler string // the handler's type
	Method  string // the method as declared, with its signature
	Want    string // the callback it resembles, as the engine calls it
}

func (e *HandlerError) Error() string {
	return fmt.Sprintf("loop: handler %s: method %s is never called; the engine calls %s", e.Handler, e.Method, e.Want)
}

// checkHandler returns a *HandlerError for the first method of h that
// resembles an optional callback h does not implement.
func checkHandler(h Handler) error {
	t := reflect.TypeOf(h)
	for _, iface := range optionalCallbacks {
		if t.Implements(iface) {
			continue
		}
		want := iface.Method(0)
		for _, typ := range []reflect.Type{t, reflect.PointerTo(t)} {
			if typ.Kind() == reflect.Pointer && typ.Elem().Kind() == reflect.Pointer {
				continue // *T given: **T adds nothing
			}
			for i := range typ.NumMethod() {
				m := typ.Method(i)
				if !strings.EqualFold(m.Name, want.Name) {
					continue
				}
				have := signature(m.Name, m.Type, 1) // In(0) is the receiver
				if typ != t {
					have = fmt.Sprintf("(%s) %s, not in the method set of %s", typ, have, t)
				}
				return &HandlerError{Handler: t.String(), Method: have, Want: signature(want.Name, want.Type, 0)}
			}
		}
	}
	return nil
}

// signature writes a method's name and signature, its parameters from
// In(first) on.
func signature(name string, ft reflect.Type, first int) string {
	var b strings.Builder
	b.WriteString(name + "(")
	for i := first; i < ft.NumIn(); i++ {
		if i > first {
			b.WriteString(", ")
		}
		b.WriteString(ft.In(i).String())
	}
	b.WriteString(")")
	switch ft.NumOut() {
	case 0:
	case 1:
		b.WriteString(" " + ft.Out(0).String())
	default:
		b.WriteString(" (")
		for i := range ft.NumOut() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(ft.Out(i).String())
		}
		b.WriteString(")")
	}
	return b.String()
}
