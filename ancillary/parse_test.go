//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary_test

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/ancillary"
)

// collect walks b with a Parser and returns the messages and the error.
func collect(b []byte) ([]ancillary.Message, error) {
	var ms []ancillary.Message
	p := ancillary.NewParser(b)
	for m, ok := p.Next(); ok; m, ok = p.Next() {
		ms = append(ms, m)
	}
	return ms, p.Err()
}

// within reports whether sub lies inside b's memory (or is empty).
func within(sub, b []byte) bool {
	if len(sub) == 0 {
		return true
	}
	if len(b) == 0 {
		return false
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	return p >= lo && p+uintptr(len(sub)) <= lo+uintptr(len(b))
}

func TestParseWellFormed(t *testing.T) {
	hdr := ancillary.HdrLen
	two, _ := ancillary.Append(nil, 1, 2, []byte("abc"))
	two, _ = ancillary.Append(two, 3, 4, []byte("0123456789"))
	tests := []struct {
		name string
		buf  []byte
		want []ancillary.Message
	}{
		{name: "empty", buf: nil},
		{name: "header only", buf: rawHeader(uint64(hdr), 7, 8),
			want: []ancillary.Message{{Level: 7, Type: 8, Data: []byte{}}}},
		{name: "two padded", buf: two, want: []ancillary.Message{
			{Level: 1, Type: 2, Data: []byte("abc")},
			{Level: 3, Type: 4, Data: []byte("0123456789")},
		}},
		{name: "last unpadded", buf: concat(rawHeader(uint64(hdr+1), 5, 6), []byte{0xaa}),
			want: []ancillary.Message{{Level: 5, Type: 6, Data: []byte{0xaa}}}},
		{name: "negative level and type", buf: rawHeader(uint64(hdr), -1, math.MinInt32),
			want: []ancillary.Message{{Level: -1, Type: math.MinInt32, Data: []byte{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := collect(tt.buf)
			if err != nil {
				t.Fatalf("Parser: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Parser yielded %d messages, want %d: %v", len(got), len(tt.want), got)
			}
			for i, m := range got {
				w := tt.want[i]
				if m.Level != w.Level || m.Type != w.Type || !bytes.Equal(m.Data, w.Data) {
					t.Errorf("message %d = %+v, want %+v", i, m, w)
				}
				if !within(m.Data, tt.buf) || cap(m.Data) != len(m.Data) {
					t.Errorf("message %d: Data does not alias the buffer with its cap at its length", i)
				}
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	hdr := uint64(ancillary.HdrLen)
	good, _ := ancillary.Append(nil, 1, 2, []byte("abcd"))
	tests := []struct {
		name     string
		buf      []byte
		messages int // well-formed messages before the error
		offset   int
		cmsgLen  int
	}{
		{name: "one byte", buf: []byte{1}, offset: 0, cmsgLen: -1},
		{name: "header less one byte", buf: rawHeader(hdr, 1, 2)[:hdr-1], offset: 0, cmsgLen: -1},
		{name: "cmsg_len zero", buf: rawHeader(0, 1, 2), offset: 0, cmsgLen: 0},
		{name: "cmsg_len below header", buf: rawHeader(hdr-1, 1, 2), offset: 0, cmsgLen: int(hdr - 1)},
		{name: "cmsg_len past buffer", buf: rawHeader(hdr+1, 1, 2), offset: 0, cmsgLen: int(hdr + 1)},
		{name: "cmsg_len huge", buf: rawHeader(math.MaxUint32, 1, 2), offset: 0, cmsgLen: math.MaxInt32},
		{name: "trailing bytes", buf: concat(good, []byte{0, 0, 0}), messages: 1, offset: len(good), cmsgLen: -1},
		{name: "second cmsg_len zero", buf: concat(good, rawHeader(0, 1, 2)), messages: 1, offset: len(good), cmsgLen: 0},
		{name: "second past buffer", buf: concat(good, rawHeader(hdr+100, 1, 2), make([]byte, 8)),
			messages: 1, offset: len(good), cmsgLen: int(hdr + 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := collect(tt.buf)
			if len(got) != tt.messages {
				t.Errorf("yielded %d messages before the error, want %d", len(got), tt.messages)
			}
			if !errors.Is(err, ancillary.ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			var pe *ancillary.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T, want *ParseError", err)
			}
			if pe.Offset != tt.offset || pe.Len != tt.cmsgLen {
				t.Errorf("ParseError{Offset: %d, Len: %d}, want {%d, %d}: %v", pe.Offset, pe.Len, tt.offset, tt.cmsgLen, err)
			}
			// The iterator yields the same messages, then the same error.
			var n int
			var iterErr error
			for m, err := range ancillary.Messages(tt.buf) {
				if err != nil {
					iterErr = err
					if m.Data != nil || m.Level != 0 {
						t.Errorf("error yielded with message %+v", m)
					}
					continue
				}
				n++
			}
			if n != tt.messages || iterErr == nil || iterErr.Error() != err.Error() {
				t.Errorf("Messages: %d messages, err %v; want %d, %v", n, iterErr, tt.messages, err)
			}
		})
	}
}

func TestParserStopsAfterError(t *testing.T) {
	p := ancillary.NewParser(rawHeader(0, 1, 2))
	for range 3 {
		if _, ok := p.Next(); ok {
			t.Fatal("Next yielded a message from malformed data")
		}
	}
	if p.Err() == nil {
		t.Fatal("Err is nil after malformed data")
	}
	var zero ancillary.Parser
	if _, ok := zero.Next(); ok || zero.Err() != nil {
		t.Fatal("the zero Parser is not empty and error-free")
	}
}

func TestMessagesBreak(t *testing.T) {
	var b []byte
	for i := range 5 {
		b, _ = ancillary.Append(b, unix.SOL_SOCKET, i, []byte{byte(i)})
	}
	n := 0
	for m, err := range ancillary.Messages(b) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Type != n {
			t.Fatalf("message %d has type %d", n, m.Type)
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("loop ran %d times, want 2", n)
	}
}
