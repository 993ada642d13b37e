package codec

import "errors"

var (
	// ErrIncomplete reports input that does not yet hold a whole frame;
	// nothing was consumed, and the call should be repeated when more input
	// has arrived.
	ErrIncomplete = errors.New("codec: incomplete input")
	// ErrMalformed is wrapped by errors for input that breaks the protocol.
	ErrMalformed = errors.New("codec: malformed input")
	// ErrTooLarge is wrapped by errors for input over a configured limit.
	ErrTooLarge = errors.New("codec: input too large")
)

// Error is a decoder's verdict on bad input. It wraps ErrMalformed or
// ErrTooLarge. Decoders return shared values, so reporting an error does not
// allocate; do not modify them.
type Error struct {
	Codec  string // the decoder: "length-field", "resp", "http1", ...
	Reason string // what was wrong, for people
	Status int    // for HTTP, the response status that fits (400, 413, 431, 501); otherwise 0
	Err    error  // ErrMalformed or ErrTooLarge
}

func (e *Error) Error() string { return "codec: " + e.Codec + ": " + e.Reason }

// Unwrap returns ErrMalformed or ErrTooLarge.
func (e *Error) Unwrap() error { return e.Err }

// Malformed returns a new *Error wrapping ErrMalformed; decoders call it once,
// at package initialisation, for each reason they report.
func Malformed(codec, reason string) *Error {
	return &Error{Codec: codec, Reason: reason, Err: ErrMalformed}
}

// TooLarge returns a new *Error wrapping ErrTooLarge, as Malformed.
func TooLarge(codec, reason string) *Error {
	return &Error{Codec: codec, Reason: reason, Err: ErrTooLarge}
}
