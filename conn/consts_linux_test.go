package conn

import "testing"

func TestLinuxConstantStrings(t *testing.T) {
	tests := []struct {
		got  interface{ String() string }
		want string
	}{
		{got: AF_PACKET, want: "AF_PACKET"},
		{got: AF_NETLINK, want: "AF_NETLINK"},
		{got: AF_TIPC, want: "AF_TIPC"},
		{got: AF_BLUETOOTH, want: "AF_BLUETOOTH"},
		{got: AF_RDS, want: "AF_RDS"},
		{got: MSG_NOSIGNAL | MSG_PEEK, want: "MSG_PEEK|MSG_NOSIGNAL"},
		{got: SO_PEERCRED, want: "SO_PEERCRED"},
		{got: TCP_CORK, want: "TCP_CORK"},
		{got: SCM_CREDENTIALS, want: "SCM_CREDENTIALS"},
	}
	for _, tt := range tests {
		if s := tt.got.String(); s != tt.want {
			t.Errorf("String() = %q, want %q", s, tt.want)
		}
	}
}
