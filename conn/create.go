//go:build unix || windows

package conn

import (
	"context"
	"errors"
	"net"
	"time"
)

// CreateConnection connects a stream socket to address ("host:port"), as
// Python's create_connection: host is resolved for IPv4 and IPv6 and every
// address is tried in turn until one connects. The timeout (NoTimeout for
// blocking) is set on each socket before it connects and stays on the one
// returned. source, if not nil, is bound first; a HostAddr with family 0
// takes the family of each attempt. When every attempt fails the errors
// are joined, the last one first.
func CreateConnection(ctx context.Context, address string, timeout time.Duration, source Addr) (*Socket, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &AddrError{Reason: "address must be host:port", Addr: address}
	}
	if err := checkTimeout("create_connection", timeout); err != nil {
		return nil, err
	}
	infos, err := GetAddrInfo(ctx, host, port, AF_UNSPEC, SOCK_STREAM, 0, 0)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, ai := range infos {
		s, err := dialOne(ai, timeout, source)
		if err == nil {
			return s, nil
		}
		errs = append([]error{err}, errs...)
		if ctx.Err() != nil {
			errs = append([]error{ctx.Err()}, errs...)
			break
		}
	}
	return nil, errors.Join(errs...)
}

func dialOne(ai AddrInfo, timeout time.Duration, source Addr) (*Socket, error) {
	s, err := Open(ai.Family, ai.Type, ai.Proto)
	if err != nil {
		return nil, err
	}
	if err := s.SetTimeout(timeout); err != nil {
		s.Close()
		return nil, err
	}
	if source != nil {
		if h, ok := source.(HostAddr); ok && h.Fam == 0 {
			h.Fam = ai.Family
			source = h
		}
		if err := s.Bind(source); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := s.Connect(ai.Addr); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// CreateServer opens a listening stream socket on address ("host:port"),
// as Python's create_server: SO_REUSEADDR set, the first address
// GetAddrInfo gives with AI_PASSIVE (host "" listens on the IPv6 any
// address when dualStack, else on 0.0.0.0), backlog as Listen takes it.
func CreateServer(ctx context.Context, address string, dualStack bool, backlog ...int) (*Socket, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, &AddrError{Reason: "address must be host:port", Addr: address}
	}
	family := AF_UNSPEC
	if host == "" && !dualStack {
		family = AF_INET
	}
	if port == "" {
		port = "0"
	}
	infos, err := GetAddrInfo(ctx, host, port, family, SOCK_STREAM, 0, AI_PASSIVE)
	if err != nil {
		return nil, err
	}
	ai := infos[0]
	s, err := Open(ai.Family, SOCK_STREAM, 0)
	if err != nil {
		return nil, err
	}
	err = s.SetSockopt(SO_REUSEADDR, 1)
	if err == nil && ai.Family == AF_INET6 {
		v6only := 1
		if dualStack {
			v6only = 0
		}
		err = s.SetSockopt(IPV6_V6ONLY, v6only)
	}
	if err == nil {
		err = s.Bind(ai.Addr)
	}
	if err == nil {
		err = s.Listen(backlog...)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}
