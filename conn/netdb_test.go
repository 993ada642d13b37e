//go:build unix

package conn

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

func TestGetAddrInfo(t *testing.T) {
	ctx := context.Background()
	lo4 := netip.MustParseAddr("127.0.0.1")
	tests := []struct {
		name     string
		host     string
		port     string
		family   Family
		typ      Type
		flags    AIFlag
		want     []Addr
		wantType []Type
		wantErr  EAI
	}{
		{name: "numeric v4", host: "127.0.0.1", port: "80", family: AF_INET, typ: SOCK_STREAM,
			want: []Addr{Inet4Addr{IP: lo4, Port: 80}}},
		{name: "all kinds", host: "127.0.0.1", port: "7", typ: 0,
			want:     []Addr{Inet4Addr{IP: lo4, Port: 7}, Inet4Addr{IP: lo4, Port: 7}, Inet4Addr{IP: lo4, Port: 7}},
			wantType: []Type{SOCK_STREAM, SOCK_DGRAM, SOCK_RAW}},
		{name: "none host", port: "80", typ: SOCK_STREAM,
			want: []Addr{Inet6Addr{IP: netip.IPv6Loopback(), Port: 80}, Inet4Addr{IP: lo4, Port: 80}}},
		{name: "passive", port: "80", typ: SOCK_STREAM, flags: AI_PASSIVE,
			want: []Addr{Inet4Addr{IP: netip.IPv4Unspecified(), Port: 80}, Inet6Addr{IP: netip.IPv6Unspecified(), Port: 80}}},
		{name: "v4 mapped", host: "127.0.0.1", port: "80", family: AF_INET6, typ: SOCK_STREAM, flags: AI_V4MAPPED,
			want: []Addr{Inet6Addr{IP: netip.MustParseAddr("::ffff:127.0.0.1"), Port: 80}}},
		{name: "numeric host rejects names", host: "localhost", port: "80", flags: AI_NUMERICHOST, wantErr: EAI_NONAME},
		{name: "numeric serv rejects names", host: "127.0.0.1", port: "http", flags: AI_NUMERICSERV, wantErr: EAI_NONAME},
		{name: "bad flags", host: "127.0.0.1", flags: 0x10000, wantErr: EAI_BADFLAGS},
		{name: "bad family", host: "127.0.0.1", family: AF_UNIX, wantErr: EAI_FAMILY},
		{name: "nothing", wantErr: EAI_NONAME},
		{name: "v6 literal for v4", host: "::1", family: AF_INET, wantErr: EAI_ADDRFAMILY},
		{name: "port range", host: "127.0.0.1", port: "70000", wantErr: EAI_SERVICE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := GetAddrInfo(ctx, tt.host, tt.port, tt.family, tt.typ, 0, tt.flags)
			if tt.wantErr != 0 {
				var ge *GAIError
				if !errors.As(err, &ge) || ge.Code != tt.wantErr {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			must(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d results %v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i].Addr != tt.want[i] {
					t.Errorf("[%d] = %v, want %v", i, got[i].Addr, tt.want[i])
				}
				if tt.wantType != nil && got[i].Type != tt.wantType[i] {
					t.Errorf("[%d] type %v, want %v", i, got[i].Type, tt.wantType[i])
				}
			}
		})
	}
}

func TestGetAddrInfoLocalhostAndServices(t *testing.T) {
	if _, err := os.Stat("/etc/hosts"); err != nil {
		t.Skip("no /etc/hosts")
	}
	got, err := GetAddrInfo(context.Background(), "localhost", "80", AF_INET, SOCK_STREAM, 0, AI_CANONNAME)
	must(t, err)
	if len(got) == 0 || got[0].Addr.(Inet4Addr).IP != netip.MustParseAddr("127.0.0.1") || got[0].CanonName == "" {
		t.Errorf("localhost = %+v", got)
	}
}

func TestServicesProtocols(t *testing.T) {
	dir := t.TempDir()
	services := filepath.Join(dir, "services")
	protocols := filepath.Join(dir, "protocols")
	must(t, os.WriteFile(services, []byte("# comment\nhttp\t80/tcp\twww # WWW\ndomain\t53/udp\nfoo 7/tcp\n"), 0o600))
	must(t, os.WriteFile(protocols, []byte("tcp\t6\tTCP\nudp 17 UDP\n"), 0o600))
	oldS, oldP := servicesPath, protocolsPath
	servicesPath, protocolsPath = services, protocols
	defer func() { servicesPath, protocolsPath = oldS, oldP }()
	if p, err := GetServByName("www", "tcp"); err != nil || p != 80 {
		t.Errorf("GetServByName(www) = %d, %v", p, err)
	}
	if _, err := GetServByName("http", "udp"); err == nil {
		t.Error("GetServByName(http, udp) succeeded")
	}
	if n, err := GetServByPort(53, ""); err != nil || n != "domain" {
		t.Errorf("GetServByPort(53) = %q, %v", n, err)
	}
	if _, err := GetServByPort(70000, ""); err == nil {
		t.Error("GetServByPort(70000) succeeded")
	}
	if p, err := GetProtoByName("UDP"); err != nil || p != IPPROTO_UDP {
		t.Errorf("GetProtoByName(UDP) = %v, %v", p, err)
	}
	got, err := GetAddrInfo(context.Background(), "127.0.0.1", "www", AF_INET, SOCK_STREAM, 0, 0)
	if err != nil || got[0].Addr.(Inet4Addr).Port != 80 {
		t.Errorf("GetAddrInfo(www) = %v, %v", got, err)
	}
	host, serv, err := GetNameInfo(context.Background(), Inet4Addr{IP: netip.MustParseAddr("127.0.0.1"), Port: 80}, NI_NUMERICHOST)
	if err != nil || host != "127.0.0.1" || serv != "http" {
		t.Errorf("GetNameInfo = %q %q %v", host, serv, err)
	}
	protocolsPath = filepath.Join(dir, "missing")
	if p, err := GetProtoByName("icmp"); err != nil || p != IPPROTO_ICMP {
		t.Errorf("GetProtoByName(icmp) without a file = %v, %v", p, err)
	}
}

func TestGetNameInfoScope(t *testing.T) {
	ifs, err := IfNameIndex()
	must(t, err)
	if len(ifs) == 0 {
		t.Skip("no interfaces")
	}
	ifi := ifs[0]
	a := Inet6Addr{IP: netip.MustParseAddr("fe80::1"), Port: 22, ScopeID: uint32(ifi.Index)}
	host, serv, err := GetNameInfo(context.Background(), a, NI_NUMERICHOST|NI_NUMERICSERV)
	if err != nil || host != "fe80::1%"+ifi.Name || serv != "22" {
		t.Errorf("GetNameInfo = %q %q %v; want fe80::1%%%s 22", host, serv, err, ifi.Name)
	}
	if idx, err := IfNameToIndex(ifi.Name); err != nil || idx != ifi.Index {
		t.Errorf("IfNameToIndex = %d, %v", idx, err)
	}
	if n, err := IfIndexToName(ifi.Index); err != nil || n != ifi.Name {
		t.Errorf("IfIndexToName = %q, %v", n, err)
	}
	if _, err := IfIndexToName(0); err == nil {
		t.Error("IfIndexToName(0) succeeded")
	}
}

func TestCreateConnection(t *testing.T) {
	l, err := CreateServer(context.Background(), "127.0.0.1:0", false)
	must(t, err)
	defer l.Close()
	addr, _ := l.SockName()
	c, err := CreateConnection(context.Background(), addr.String(), NoTimeout, Inet4("127.0.0.1", 0))
	must(t, err)
	defer c.Close()
	s, peer, err := l.Accept()
	must(t, err)
	defer s.Close()
	if local, _ := c.SockName(); local != peer {
		t.Errorf("accepted peer %v, client %v", peer, local)
	}
	// A closed port: every address fails and the error says why.
	l2, err := CreateServer(context.Background(), "127.0.0.1:0", false)
	must(t, err)
	addr2, _ := l2.SockName()
	l2.Close()
	if _, err := CreateConnection(context.Background(), addr2.String(), NoTimeout, nil); err == nil {
		t.Error("CreateConnection to a closed port succeeded")
	}
	if _, err := CreateConnection(context.Background(), "no-port", NoTimeout, nil); err == nil {
		t.Error("CreateConnection without a port succeeded")
	}
}

func TestHostNames(t *testing.T) {
	h, err := GetHostName()
	must(t, err)
	if h == "" {
		t.Error("empty host name")
	}
	if GetFQDN("127.0.0.1") == "" {
		t.Error("empty FQDN")
	}
	if ip, err := GetHostByName("127.0.0.1"); err != nil || ip != "127.0.0.1" {
		t.Errorf("GetHostByName = %q, %v", ip, err)
	}
	if !HasIPv6() {
		t.Log("no IPv6 here")
	}
	if err := CloseFD(-1); err == nil {
		t.Error("CloseFD(-1) succeeded")
	}
}
