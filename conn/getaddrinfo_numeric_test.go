package conn

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
)

// TestGetAddrInfoNumericForms: numeric hosts in the forms glibc's
// getaddrinfo (and so CPython's) takes through inet_aton, and a numeric
// service after leading spaces, resolve as there; trailing text does not.
func TestGetAddrInfoNumericForms(t *testing.T) {
	for _, tc := range []struct{ host, port, want string }{
		{"127.1", "80", "127.0.0.1:80"},
		{"0", "80", "0.0.0.0:80"},
		{"0x7f000001", "80", "127.0.0.1:80"},
		{"10.1.2", "80", "10.1.0.2:80"},
		{"127.0.0.1", " 80", "127.0.0.1:80"},
	} {
		res, err := GetAddrInfo(context.Background(), tc.host, tc.port, AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST)
		if err != nil || len(res) != 1 || res[0].Addr.String() != tc.want {
			t.Errorf("GetAddrInfo(%q, %q) = %v, %v; want %s", tc.host, tc.port, res, err, tc.want)
		}
	}
	for _, host := range []string{"127.0.0.1 x", "1.2.3.4.5", "256.1.1.1"} {
		_, err := GetAddrInfo(context.Background(), host, "80", AF_INET, SOCK_STREAM, 0, AI_NUMERICHOST)
		var gai *GAIError
		if !errors.As(err, &gai) || gai.Code != EAI_NONAME {
			t.Errorf("GetAddrInfo(%q) = %v, want EAI_NONAME", host, err)
		}
	}
}

// TestHostAddrNumericForms: an address tuple's host takes the same numeric
// forms (CPython resolves it through getaddrinfo).
func TestHostAddrNumericForms(t *testing.T) {
	a, err := Inet4("127.1", 80).Resolve()
	if err != nil || a.String() != "127.0.0.1:80" {
		t.Fatalf("Inet4(127.1).Resolve() = %v, %v", a, err)
	}
	_, err = Inet6("127.1", 80).Resolve()
	var gai *GAIError
	if !errors.As(err, &gai) || gai.Code != EAI_ADDRFAMILY {
		t.Fatalf("Inet6(127.1).Resolve() = %v, want EAI_ADDRFAMILY", err)
	}
}

// TestGetAddrInfoScopes: a zone names an interface only on a link-local
// address, and is otherwise a number, as glibc reads it.
func TestGetAddrInfoScopes(t *testing.T) {
	for _, tc := range []struct {
		host  string
		scope uint32 // 0: refused with EAI_NONAME
	}{
		{"fe80::1%1", 1}, {"::1%1", 1}, {"fe80::1%lo", 1},
		{"::1%lo", 0}, {"fe80::1%nosuchif", 0},
	} {
		if lo, err := net.InterfaceByName("lo"); strings.Contains(tc.host, "%lo") && (err != nil || lo.Index != 1) {
			continue // no loopback interface of that name and index here
		}
		res, err := GetAddrInfo(context.Background(), tc.host, "80", AF_INET6, SOCK_STREAM, 0, AI_NUMERICHOST)
		if tc.scope == 0 {
			var gai *GAIError
			if !errors.As(err, &gai) || gai.Code != EAI_NONAME {
				t.Errorf("GetAddrInfo(%q) = %v, %v; want EAI_NONAME", tc.host, res, err)
			}
			continue
		}
		if err != nil || len(res) != 1 || res[0].Addr.(Inet6Addr).ScopeID != tc.scope {
			t.Errorf("GetAddrInfo(%q) = %v, %v; want scope %d", tc.host, res, err, tc.scope)
		}
	}
}

// TestHostAddrScopes: an address tuple's zone is read as getaddrinfo
// reads it.
func TestHostAddrScopes(t *testing.T) {
	if a, err := Inet6("::1%1", 80).Resolve(); err != nil || a.(Inet6Addr).ScopeID != 1 {
		t.Errorf("Inet6(::1%%1).Resolve() = %v, %v; want scope 1", a, err)
	}
	for _, host := range []string{"::1%lo", "fe80::1%nosuchif"} {
		_, err := Inet6(host, 80).Resolve()
		var gai *GAIError
		if !errors.As(err, &gai) || gai.Code != EAI_NONAME {
			t.Errorf("Inet6(%q).Resolve() = %v, want EAI_NONAME", host, err)
		}
	}
}
