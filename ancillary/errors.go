package ancillary

import (
	"errors"
	"strconv"
)

// Sentinel errors; every error of this package matches one of them with
// errors.Is.
var (
	// ErrRange reports a length that a control message cannot carry.
	ErrRange = errors.New("ancillary: length out of range")
	// ErrInvalid reports an argument that a control message cannot carry,
	// such as a negative fd or an IPv6 address for IPv4 packet info.
	ErrInvalid = errors.New("ancillary: invalid argument")
	// ErrMalformed reports received control data that is not well formed.
	ErrMalformed = errors.New("ancillary: malformed control data")
	// ErrMismatch reports a decoder applied to a message of another kind.
	ErrMismatch = errors.New("ancillary: message of another level or type")
	// ErrNotFound reports that control data holds no message of the kind
	// looked for.
	ErrNotFound = errors.New("ancillary: no such control message")
	// ErrTruncated reports that recvmsg set MSG_CTRUNC: the kernel had more
	// control data than the buffer held.
	ErrTruncated = errors.New("ancillary: control data truncated (MSG_CTRUNC)")
)

// SizeError reports a length out of range for Len, Space or a builder.
// It matches ErrRange.
type SizeError struct {
	Op string // the function that failed, such as "Len"
	N  int    // the offending data length or count
}

func (e *SizeError) Error() string {
	return "ancillary: " + e.Op + ": length " + strconv.Itoa(e.N) + " out of range"
}

// Unwrap returns ErrRange.
func (e *SizeError) Unwrap() error { return ErrRange }

// ArgError reports an argument a builder cannot encode. It matches
// ErrInvalid.
type ArgError struct {
	Op     string // the function that failed, such as "AppendRights"
	Reason string // what was wrong with the argument
}

func (e *ArgError) Error() string { return "ancillary: " + e.Op + ": " + e.Reason }

// Unwrap returns ErrInvalid.
func (e *ArgError) Unwrap() error { return ErrInvalid }

// ParseError reports malformed control data found while walking a buffer.
// It matches ErrMalformed.
type ParseError struct {
	Offset int    // byte offset of the offending header in the buffer
	Len    int    // the header's cmsg_len, or -1 when the header is incomplete
	Reason string // what was wrong
}

func (e *ParseError) Error() string {
	s := "ancillary: malformed control data at offset " + strconv.Itoa(e.Offset)
	if e.Len >= 0 {
		s += " (cmsg_len " + strconv.Itoa(e.Len) + ")"
	}
	return s + ": " + e.Reason
}

// Unwrap returns ErrMalformed.
func (e *ParseError) Unwrap() error { return ErrMalformed }

// DecodeError reports a message a decoder cannot decode: one of another
// level or type (Err is ErrMismatch) or one whose data has the wrong size
// (Err is ErrMalformed).
type DecodeError struct {
	Op    string // the decoder, such as "Rights"
	Level int    // the message's level
	Type  int    // the message's type
	Len   int    // the message's data length
	Err   error  // ErrMismatch or ErrMalformed
}

func (e *DecodeError) Error() string {
	return "ancillary: " + e.Op + ": level " + strconv.Itoa(e.Level) + " type " +
		strconv.Itoa(e.Type) + " with " + strconv.Itoa(e.Len) + " data bytes: " + e.Err.Error()
}

// Unwrap returns ErrMismatch or ErrMalformed.
func (e *DecodeError) Unwrap() error { return e.Err }
