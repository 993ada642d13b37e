//go:build unix

package main

import (
	"bytes"
	"testing"
)

func TestRecvmsgInto(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	want := "22\n\"Mary\"\n\"01 had a 9\"\n\"little lamb---\"\n"
	if out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}
