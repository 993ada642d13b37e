// Package ident tells whether two calls were handed the same input, for
// decoders that resume work left by the last call on it.
package ident

import "reflect"

// A Mark names where a message begins in a reader's input: the reader (held,
// so that no other reader takes its address while the Mark lives) and the
// message's first byte in the reader's buffer. A decoder that stops inside
// a message keeps its Mark and resumes only where the next call makes the
// same one. The zero Mark matches nothing.
type Mark struct {
	r    any
	id   uintptr // r's address; 0 where r is no pointer, which never matches
	base *byte
}

// MarkOf is the Mark of a message that begins at buf[0] in r's input.
func MarkOf(r any, buf []byte) Mark {
	var id uintptr
	if rv := reflect.ValueOf(r); rv.Kind() == reflect.Pointer {
		id = rv.Pointer()
	}
	var base *byte
	if len(buf) > 0 {
		base = &buf[0]
	}
	return Mark{r: r, id: id, base: base}
}

// Same reports whether m and o name the same place of the same reader.
func (m Mark) Same(o Mark) bool {
	return m.id != 0 && m.id == o.id && m.base == o.base
}
