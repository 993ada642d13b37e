// Package ident tells whether two calls were handed the same object, for
// decoders that resume work left by the last call on the same input.
package ident

import "reflect"

// Pointer returns the address v points to, or 0 where v is no pointer. A
// caller that compares it across calls holds v meanwhile, so that no other
// object can take the address.
func Pointer(v any) uintptr {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer {
		return rv.Pointer()
	}
	return 0
}
