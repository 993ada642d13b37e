package selfsigned

import (
	"crypto/x509"
	"testing"
	"time"
)

// TestNewVerifies: the certificate verifies for each of its names against
// the pool New returns, and only within its validity.
func TestNewVerifies(t *testing.T) {
	cert, roots, err := New(time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if _, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: roots}); err == nil {
		t.Error("verified for a name it does not hold")
	}
	if _, err := cert.Leaf.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: time.Now().Add(2 * time.Hour)}); err == nil {
		t.Error("verified after it expired")
	}
}
