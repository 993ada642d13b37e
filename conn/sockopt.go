//go:build unix

package conn

import (
	"errors"

	"github.com/sockloop/sockloop/sockopt"
)

// GetSockopt wraps getsockopt(2) for an int option (sockopt.GetInt).
func (s *Socket) GetSockopt(opt Opt) (int, error) {
	if opt == nil {
		return 0, valueErr("getsockopt", "nil option")
	}
	level, name := int(opt.Level()), opt.Name()
	var v int
	perr, serr := s.control(func(fd int) (err error) { v, err = sockopt.GetInt(fd, level, name); return optCause(err) })
	return v, s.wrapErr("getsockopt", "getsockopt", perr, serr, nil)
}

// GetSockoptBytes wraps getsockopt(2) for an option read as raw bytes, into
// a buffer of buflen bytes (1 to 1024); it returns what the kernel wrote.
func (s *Socket) GetSockoptBytes(opt Opt, buflen int) ([]byte, error) {
	if opt == nil {
		return nil, valueErr("getsockopt", "nil option")
	}
	level, name := int(opt.Level()), opt.Name()
	if buflen <= 0 || buflen > 1024 {
		return nil, valueErr("getsockopt", "buflen out of range")
	}
	buf := make([]byte, buflen)
	var n int
	perr, serr := s.control(func(fd int) (err error) { n, err = sockopt.GetInto(fd, level, name, buf); return optCause(err) })
	if err := s.wrapErr("getsockopt", "getsockopt", perr, serr, nil); err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// SetSockopt wraps setsockopt(2) for an int option (sockopt.SetInt).
func (s *Socket) SetSockopt(opt Opt, value int) error {
	if opt == nil {
		return valueErr("setsockopt", "nil option")
	}
	level, name := int(opt.Level()), opt.Name()
	perr, serr := s.control(func(fd int) error { return optCause(sockopt.SetInt(fd, level, name, value)) })
	return s.wrapErr("setsockopt", "setsockopt", perr, serr, nil)
}

// SetSockoptBytes wraps setsockopt(2) for an option given as raw bytes
// (sockopt.SetBytes).
func (s *Socket) SetSockoptBytes(opt Opt, value []byte) error {
	if opt == nil {
		return valueErr("setsockopt", "nil option")
	}
	level, name := int(opt.Level()), opt.Name()
	perr, serr := s.control(func(fd int) error { return optCause(sockopt.SetBytes(fd, level, name, value)) })
	return s.wrapErr("setsockopt", "setsockopt", perr, serr, nil)
}

// SetSockoptNil wraps setsockopt(2) with a NULL value and the given length,
// as Python's setsockopt(level, opt, None, optlen) does (AF_ALG's
// ALG_SET_AEAD_AUTHSIZE); see sockopt.SetNil.
func (s *Socket) SetSockoptNil(opt Opt, optlen int) error {
	if opt == nil {
		return valueErr("setsockopt", "nil option")
	}
	level, name := int(opt.Level()), opt.Name()
	if optlen < 0 {
		return valueErr("setsockopt", "negative optlen")
	}
	perr, serr := s.control(func(fd int) error { return optCause(sockopt.SetNil(fd, level, name, optlen)) })
	return s.wrapErr("setsockopt", "setsockopt", perr, serr, nil)
}

// optCause returns the *os.SyscallError inside a *sockopt.Error (or err
// itself otherwise), so option calls fail with the same layers as every
// other call: the errno, the system call error, then an *OpError.
func optCause(err error) error {
	var oe *sockopt.Error
	if errors.As(err, &oe) {
		return oe.Err
	}
	return err
}
