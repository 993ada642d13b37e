package resp

import "github.com/sockloop/sockloop/codec"

// The errors a Decoder reports; each wraps codec.ErrMalformed or
// codec.ErrTooLarge.
var (
	ErrProtocol     = codec.Malformed("resp", "protocol error")
	ErrBadLength    = codec.Malformed("resp", "invalid length")
	ErrExpectedBulk = codec.Malformed("resp", "expected '$'")
	ErrBadInteger   = codec.Malformed("resp", "invalid integer")
	ErrBadType      = codec.Malformed("resp", "unknown type byte")
	ErrMissingCRLF  = codec.Malformed("resp", "bulk string not followed by CRLF")
	ErrBulkTooLarge = codec.TooLarge("resp", "bulk string longer than the maximum")
	ErrTooManyArgs  = codec.TooLarge("resp", "array longer than the maximum")
	ErrLineTooLong  = codec.TooLarge("resp", "line longer than the maximum")
	ErrTooDeep      = codec.TooLarge("resp", "arrays nested deeper than the maximum")
)
