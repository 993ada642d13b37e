//go:build unix

package conn

import (
	"bytes"
	"encoding/hex"
	"testing"
)

func TestInetAtonPton4(t *testing.T) {
	tests := []struct {
		in       string
		wantAton string // hex; "" means invalid
		wantPton string
	}{
		{in: "0.0.0.", wantAton: "", wantPton: ""},
		{in: "300.0.0.0"},
		{in: "a.0.0.0"},
		{in: "1.2.3.4.5"},
		{in: "::1"},
		{in: ""},
		{in: "1", wantAton: "00000001"},
		{in: "127.1", wantAton: "7f000001"},
		{in: "0x7f.1", wantAton: "7f000001"},
		{in: "010.0.0.1", wantAton: "08000001"},
		{in: "1.2.3.4", wantAton: "01020304", wantPton: "01020304"},
		{in: "255.255.255.255", wantAton: "ffffffff", wantPton: "ffffffff"},
		{in: "1.2.3.4 trailing", wantAton: "01020304"},
		{in: "1.2.65535", wantAton: "0102ffff"},
		{in: "1.2.70000"},
		{in: "1.2.3.256"},
		{in: "0x"},
		{in: "1.0x"},
		{in: "-1"},
	}
	for _, tt := range tests {
		got, err := InetAton(tt.in)
		if tt.wantAton == "" {
			if err == nil {
				t.Errorf("InetAton(%q) = %x, want error", tt.in, got)
			}
		} else if err != nil || hex.EncodeToString(got) != tt.wantAton {
			t.Errorf("InetAton(%q) = %x, %v; want %s", tt.in, got, err, tt.wantAton)
		}
		got, err = InetPton(AF_INET, tt.in)
		if tt.wantPton == "" {
			if err == nil {
				t.Errorf("InetPton(AF_INET, %q) = %x, want error", tt.in, got)
			}
		} else if err != nil || hex.EncodeToString(got) != tt.wantPton {
			t.Errorf("InetPton(AF_INET, %q) = %x, %v; want %s", tt.in, got, err, tt.wantPton)
		}
	}
}

func TestInetPton6(t *testing.T) {
	valid := []string{"::", "0::0", "1::", "12:a::", "::254.42.23.64", "42::a29b:254.42.23.64"}
	invalid := []string{"0x20::", ":::", "::0::", "1::abc::", "1::abc::def", "1:2:3:4:5:6", "1:2:3:4:5:6:",
		"1:2:3:4:5:6:7:8:0", "1:2:3:4:5:6:7:8:", "255.254.253.252", "1::260.2.3.0", "1::0.be.e.0",
		"1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:0", "0.100.200.0:3:4:5:6:7:8", "fe80::1%lo"}
	for _, s := range valid {
		if _, err := InetPton(AF_INET6, s); err != nil {
			t.Errorf("InetPton(AF_INET6, %q): %v", s, err)
		}
	}
	for _, s := range invalid {
		if got, err := InetPton(AF_INET6, s); err == nil {
			t.Errorf("InetPton(AF_INET6, %q) = %x, want error", s, got)
		}
	}
	got, err := InetPton(AF_INET6, "ad42:abc::127:0:254:2")
	must(t, err)
	if want, _ := hex.DecodeString("ad420abc000000000127000002540002"); !bytes.Equal(got, want) {
		t.Errorf("InetPton = %x", got)
	}
}

func TestInetNtop(t *testing.T) {
	tests := []struct {
		family Family
		packed string
		want   string // "" means error
	}{
		{family: AF_INET6, packed: "0aef0b0105061001ffff999700550170", want: "aef:b01:506:1001:ffff:9997:55:170"},
		{family: AF_INET6, packed: "00000000000000000000ffff01020304", want: "::ffff:1.2.3.4"},
		{family: AF_INET6, packed: "00000000000000000000000001020304", want: "::1.2.3.4"},
		{family: AF_INET6, packed: "00000000000000000000000000000001", want: "::1"},
		{family: AF_INET6, packed: "00000000000000000000000000000000", want: "::"},
		{family: AF_INET6, packed: "01020304"},
		{family: AF_INET, packed: "01020304", want: "1.2.3.4"},
		{family: AF_INET, packed: "0102030405"},
		{family: AF_UNIX, packed: "01020304"},
	}
	for _, tt := range tests {
		b, _ := hex.DecodeString(tt.packed)
		got, err := InetNtop(tt.family, b)
		if tt.want == "" {
			if err == nil {
				t.Errorf("InetNtop(%v, %s) = %q, want error", tt.family, tt.packed, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("InetNtop(%v, %s) = %q, %v; want %q", tt.family, tt.packed, got, err, tt.want)
		}
	}
	if s, err := InetNtoa([]byte{127, 0, 0, 1}); err != nil || s != "127.0.0.1" {
		t.Errorf("InetNtoa = %q, %v", s, err)
	}
	if _, err := InetNtoa([]byte{1}); err == nil {
		t.Error("InetNtoa of 1 byte succeeded")
	}
	if Ntohs(Htons(0x1234)) != 0x1234 || Ntohl(Htonl(0x12345678)) != 0x12345678 {
		t.Error("byte-order helpers do not round-trip")
	}
}
