package sockopt

import "errors"

// Error reports a failed option call and names the option.
type Error struct {
	// Option is the option's C name, such as "TCP_NODELAY".
	Option string
	// Err is the *os.SyscallError of the failed call, or
	// errors.ErrUnsupported where the platform lacks the option.
	Err error
}

func (e *Error) Error() string { return "sockopt " + e.Option + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// unsupported returns the error for an option this platform lacks.
func unsupported(name string) error {
	return &Error{Option: name, Err: errors.ErrUnsupported}
}
