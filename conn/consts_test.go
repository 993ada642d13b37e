//go:build unix

package conn

import "testing"

func TestConstantStrings(t *testing.T) {
	tests := []struct {
		got  interface{ String() string }
		want string
	}{
		{got: AF_INET, want: "AF_INET"},
		{got: AF_INET6, want: "AF_INET6"},
		{got: Family(9999), want: "Family(9999)"},
		{got: SOCK_DGRAM, want: "SOCK_DGRAM"},
		{got: IPPROTO_TCP, want: "IPPROTO_TCP"},
		{got: MSG_PEEK | MSG_TRUNC, want: "MSG_PEEK|MSG_TRUNC"},
		{got: MsgFlag(0), want: "0"},
		{got: SHUT_RDWR, want: "SHUT_RDWR"},
		{got: SOL_SOCKET, want: "SOL_SOCKET"},
		{got: SO_REUSEADDR, want: "SO_REUSEADDR"},
		{got: IP_TTL, want: "IP_TTL"},
		{got: IPV6_V6ONLY, want: "IPV6_V6ONLY"},
		{got: TCP_NODELAY, want: "TCP_NODELAY"},
		{got: SCM_RIGHTS, want: "SCM_RIGHTS"},
		{got: AI_PASSIVE | AI_CANONNAME, want: "AI_PASSIVE|AI_CANONNAME"},
		{got: NI_NUMERICHOST | NI_DGRAM, want: "NI_NUMERICHOST|NI_DGRAM"},
		{got: EAI_NONAME, want: "EAI_NONAME"},
	}
	for _, tt := range tests {
		if s := tt.got.String(); s != tt.want {
			t.Errorf("String() = %q, want %q", s, tt.want)
		}
	}
	if SOMAXCONN <= 0 {
		t.Errorf("SOMAXCONN = %d", SOMAXCONN)
	}
	s := mustOpen(t, AF_INET, SOCK_STREAM, 0)
	if _, err := s.GetSockopt(nil); err == nil {
		t.Error("GetSockopt(nil) succeeded")
	}
	must(t, s.SetSockopt(TCP_NODELAY, 1))
	if v, err := s.GetSockopt(TCP_NODELAY); err != nil || v == 0 {
		t.Errorf("TCP_NODELAY = %d, %v", v, err)
	}
}
