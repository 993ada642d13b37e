package http1

import (
	"errors"

	"github.com/sockloop/sockloop/codec"
)

func badRequest(reason string) *codec.Error {
	e := codec.Malformed("http1", reason)
	e.Status = 400
	return e
}

func tooLarge(reason string, status int) *codec.Error {
	e := codec.TooLarge("http1", reason)
	e.Status = status
	return e
}

// The errors Parse reports. Each is a *codec.Error whose Status is the
// response to send; those over a limit wrap codec.ErrTooLarge, the others
// codec.ErrMalformed.
var (
	ErrRequestLine       = badRequest("malformed request line")
	ErrMethod            = badRequest("malformed method")
	ErrTarget            = badRequest("malformed request target")
	ErrHeader            = badRequest("malformed header field")
	ErrObsFold           = badRequest("obsolete line folding")
	ErrContentLength     = badRequest("invalid Content-Length")
	ErrLengthAndEncoding = badRequest("both Content-Length and Transfer-Encoding")
	ErrMissingHost       = badRequest("missing or repeated Host")
	ErrChunk             = badRequest("malformed chunked body")
	ErrFraming10         = badRequest("transfer coding in an HTTP/1.0 request")
	ErrHeaderTooLarge    = tooLarge("request header fields too large", 431)
	ErrTooManyHeaders    = tooLarge("too many header fields", 431)
	ErrBodyTooLarge      = tooLarge("request body too large", 413)
	ErrTransferEncoding  = func() *codec.Error {
		e := codec.Malformed("http1", "unsupported transfer coding")
		e.Status = 501
		return e
	}()
	ErrVersion = func() *codec.Error {
		e := codec.Malformed("http1", "unsupported HTTP version")
		e.Status = 505
		return e
	}()
)

// Status returns the response status that fits err: the Status of a
// *codec.Error, 400 for other errors, and 0 for nil and
// codec.ErrIncomplete.
func Status(err error) int {
	if err == nil || errors.Is(err, codec.ErrIncomplete) {
		return 0
	}
	var ce *codec.Error
	if errors.As(err, &ce) && ce.Status != 0 {
		return ce.Status
	}
	return 400
}
