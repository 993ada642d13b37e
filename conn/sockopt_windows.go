package conn

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// GetSockopt wraps getsockopt for an int option. Winsock writes a single
// byte for some boolean options (TCP_NODELAY); the value is read as a
// zero-extended 32-bit integer either way.
func (s *Socket) GetSockopt(opt Opt) (int, error) {
	if opt == nil {
		return 0, valueErr("getsockopt", "nil option")
	}
	if err := s.enter("getsockopt"); err != nil {
		return 0, err
	}
	defer s.leave()
	var v int32
	n := int32(4)
	err := windows.Getsockopt(s.h, int32(opt.Level()), int32(opt.Name()), (*byte)(unsafe.Pointer(&v)), &n)
	return int(v), s.wrapErr("getsockopt", "getsockopt", nil, err, nil)
}

// GetSockoptBytes wraps getsockopt for an option read as raw bytes, into a
// buffer of buflen bytes (1 to 1024); it returns what Winsock wrote.
func (s *Socket) GetSockoptBytes(opt Opt, buflen int) ([]byte, error) {
	if opt == nil {
		return nil, valueErr("getsockopt", "nil option")
	}
	if buflen <= 0 || buflen > 1024 {
		return nil, valueErr("getsockopt", "buflen out of range")
	}
	if err := s.enter("getsockopt"); err != nil {
		return nil, err
	}
	defer s.leave()
	buf := make([]byte, buflen)
	n := int32(buflen)
	err := windows.Getsockopt(s.h, int32(opt.Level()), int32(opt.Name()), &buf[0], &n)
	if err := s.wrapErr("getsockopt", "getsockopt", nil, err, nil); err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// SetSockopt wraps setsockopt for an int option (a 32-bit value).
func (s *Socket) SetSockopt(opt Opt, value int) error {
	if opt == nil {
		return valueErr("setsockopt", "nil option")
	}
	v := int32(value)
	if int(v) != value {
		return valueErr("setsockopt", "value out of range for a 32-bit option")
	}
	return s.setsockopt(opt, (*byte)(unsafe.Pointer(&v)), 4)
}

// SetSockoptBytes wraps setsockopt for an option given as raw bytes.
func (s *Socket) SetSockoptBytes(opt Opt, value []byte) error {
	if opt == nil {
		return valueErr("setsockopt", "nil option")
	}
	var p *byte
	if len(value) > 0 {
		p = &value[0]
	}
	return s.setsockopt(opt, p, len(value))
}

// SetSockoptNil wraps setsockopt with a NULL value and the given length,
// as Python's setsockopt(level, opt, None, optlen) does.
func (s *Socket) SetSockoptNil(opt Opt, optlen int) error {
	if opt == nil {
		return valueErr("setsockopt", "nil option")
	}
	if optlen < 0 {
		return valueErr("setsockopt", "negative optlen")
	}
	return s.setsockopt(opt, nil, optlen)
}

func (s *Socket) setsockopt(opt Opt, p *byte, n int) error {
	if err := s.enter("setsockopt"); err != nil {
		return err
	}
	defer s.leave()
	err := windows.Setsockopt(s.h, int32(opt.Level()), int32(opt.Name()), p, int32(n))
	return s.wrapErr("setsockopt", "setsockopt", nil, err, nil)
}
