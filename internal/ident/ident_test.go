package ident

import (
	"bytes"
	"testing"
)

func TestPointer(t *testing.T) {
	a, b := new(bytes.Buffer), new(bytes.Buffer)
	if Pointer(a) == 0 || Pointer(a) != Pointer(a) || Pointer(a) == Pointer(b) {
		t.Fatalf("pointers: a %x, a again %x, b %x", Pointer(a), Pointer(a), Pointer(b))
	}
	if Pointer(bytes.Buffer{}) != 0 || Pointer(nil) != 0 || Pointer(3) != 0 {
		t.Fatal("a value that is no pointer has an address")
	}
}
