// Package codec frames and parses protocols over a connection's buffered
// input without copying it.
//
// A decoder reads through the Reader interface (Peek, Discard,
// InboundBuffered), which the loop's connection and BytesReader satisfy.
// Decoders never consume input themselves: they report a frame, a view of
// the reader's buffer, together with the number of bytes it spans, and the
// caller calls Discard once it is done with the frame. Input that does not
// yet hold a whole frame returns ErrIncomplete and leaves the reader as it
// was; malformed or oversized input returns an *Error that wraps
// ErrMalformed or ErrTooLarge, after which the connection should be closed.
//
// This package holds the Reader contract, the errors and the generic
// framers (length-field, delimiter, line, fixed length). The protocols live
// beside it: codec/resp (Redis), codec/http1 (HTTP/1.1 requests) and
// codec/proxyproto (PROXY protocol v1 and v2).
package codec
