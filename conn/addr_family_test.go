package conn

import (
	"errors"
	"testing"
)

// TestInet6RefusesIPv4Literal: an IPv4 literal for an AF_INET6 address is
// CPython's gaierror EAI_ADDRFAMILY, not quietly mapped; the mapped form
// written out is an IPv6 address like any other.
func TestInet6RefusesIPv4Literal(t *testing.T) {
	_, err := Inet6("127.0.0.1", 80).Resolve()
	var gai *GAIError
	if !errors.As(err, &gai) || gai.Code != EAI_ADDRFAMILY {
		t.Fatalf("Inet6(127.0.0.1).Resolve() = %v, want a *GAIError with EAI_ADDRFAMILY", err)
	}
	a, err := Inet6("::ffff:127.0.0.1", 80).Resolve()
	if err != nil || a.String() != "[::ffff:127.0.0.1]:80" {
		t.Fatalf("Inet6(::ffff:127.0.0.1).Resolve() = %v, %v", a, err)
	}
}
