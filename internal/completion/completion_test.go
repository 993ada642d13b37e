package completion

import (
	"errors"
	"syscall"
	"testing"
)

func TestTokenKeepsDescriptorAndGeneration(t *testing.T) {
	for _, tc := range []struct {
		fd  int
		gen uint32
	}{{0, 0}, {3, 1}, {1<<31 - 1, GenMask}, {42, GenMask + 5}} {
		tok := Token(tc.fd, tc.gen)
		if tok > MaxToken {
			t.Errorf("Token(%d, %d) = %#x, above MaxToken", tc.fd, tc.gen, tok)
		}
		if got := TokenFd(tok); got != tc.fd {
			t.Errorf("TokenFd(Token(%d, %d)) = %d", tc.fd, tc.gen, got)
		}
		if got := uint32(tok>>32) & GenMask; got != tc.gen&GenMask {
			t.Errorf("Token(%d, %d) carries generation %d", tc.fd, tc.gen, got)
		}
	}
	if Token(7, 1) == Token(7, 2) {
		t.Error("two generations of one descriptor share a token")
	}
}

func TestCompletionErr(t *testing.T) {
	if err := (&Completion{Res: 5}).Err(); err != nil {
		t.Errorf("Res 5: Err() = %v, want nil", err)
	}
	if err := (&Completion{Res: -int32(syscall.ECANCELED)}).Err(); !errors.Is(err, syscall.ECANCELED) {
		t.Errorf("Res -ECANCELED: Err() = %v", err)
	}
}

func TestOfReadinessOnly(t *testing.T) {
	if c := Of(struct{}{}); c != nil {
		t.Errorf("Of(a value without operations) = %v, want nil", c)
	}
}
