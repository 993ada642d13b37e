//go:build unix

package conn

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// glibcHosts is a hosts file whose answers from glibc 2.36 (through
// CPython, host.conf "multi on") wantHostsByName and wantHostsByAddr hold:
// repeated addresses and names, case, a mapped and a loopback IPv6 line.
const glibcHosts = `127.0.0.1 localhost
127.0.0.1 runsc
127.0.0.1 vm
10.1.1.1 alpha a1 a2
10.1.1.2 alpha a3
10.1.1.1 beta b1
10.1.1.3 gamma.example.com gamma # comment
::1 ip6-localhost ip6-loopback
fe80::1%lo ll6
10.1.1.5 delta x dup
10.1.1.6 epsilon x dup y
10.1.1.5 DELTA z
::ffff:10.1.1.7 mapped
2001:db8::1 six sixalias
`

var wantHostsByName = map[string]string{
	"localhost":     "localhost||127.0.0.1",
	"runsc":         "runsc||127.0.0.1",
	"alpha":         "alpha|a1,a2,a3|10.1.1.1,10.1.1.2",
	"ALPHA":         "alpha|a1,a2,a3|10.1.1.1,10.1.1.2",
	"a1":            "alpha|a1,a2|10.1.1.1",
	"a3":            "alpha|a3|10.1.1.2",
	"beta":          "beta|b1|10.1.1.1",
	"b1":            "beta|b1|10.1.1.1",
	"gamma":         "gamma.example.com|gamma|10.1.1.3",
	"ip6-localhost": "ip6-localhost|ip6-loopback|127.0.0.1",
	"x":             "delta|x,dup,x,dup,y,epsilon|10.1.1.5,10.1.1.6",
	"delta":         "delta|x,dup,z,DELTA|10.1.1.5,10.1.1.5",
	"Delta":         "delta|x,dup,z,DELTA|10.1.1.5,10.1.1.5",
	"y":             "epsilon|x,dup,y|10.1.1.6",
	"z":             "DELTA|z|10.1.1.5",
	"mapped":        "mapped||10.1.1.7",
}

var wantHostsByAddr = map[string]string{
	"127.0.0.1":       "localhost||127.0.0.1",
	"10.1.1.1":        "alpha|a1,a2|10.1.1.1",
	"10.1.1.2":        "alpha|a3|10.1.1.2",
	"10.1.1.3":        "gamma.example.com|gamma|10.1.1.3",
	"::1":             "ip6-localhost|ip6-loopback|::1",
	"10.1.1.5":        "delta|x,dup|10.1.1.5",
	"10.1.1.7":        "mapped||10.1.1.7",
	"2001:db8::1":     "six|sixalias|2001:db8::1",
	"::ffff:10.1.1.7": "mapped||::ffff:10.1.1.7",
}

func hostEntry(host string, aliases, addrs []string, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return host + "|" + strings.Join(aliases, ",") + "|" + strings.Join(addrs, ",")
}

// TestHostsFileAsGlibc: GetHostByAddr takes the first line of an address,
// and GetHostByNameEx merges the lines of a name, as glibc does.
func TestHostsFileAsGlibc(t *testing.T) {
	hosts := filepath.Join(t.TempDir(), "hosts")
	must(t, os.WriteFile(hosts, []byte(glibcHosts), 0o600))
	old := hostsPath
	hostsPath = hosts
	defer func() { hostsPath = old }()
	for name, want := range wantHostsByName {
		if got := hostEntry(GetHostByNameEx(name)); got != want {
			t.Errorf("GetHostByNameEx(%q) = %s, want %s", name, got, want)
		}
	}
	for addr, want := range wantHostsByAddr {
		if got := hostEntry(GetHostByAddr(addr)); got != want {
			t.Errorf("GetHostByAddr(%q) = %s, want %s", addr, got, want)
		}
	}
}

// TestHostsLoopbackFirst: for an IPv4 lookup glibc reads a ::1 line as
// 127.0.0.1, so a ::1 line first names 127.0.0.1 (CPython's
// gethostbyaddr and getnameinfo give ip6-localhost for this file).
func TestHostsLoopbackFirst(t *testing.T) {
	hosts := filepath.Join(t.TempDir(), "hosts")
	must(t, os.WriteFile(hosts, []byte("::1 ip6-localhost ip6-loopback\n127.0.0.1 localhost\n10.1.1.5 delta x\n"), 0o600))
	old := hostsPath
	hostsPath = hosts
	defer func() { hostsPath = old }()
	if got := hostEntry(GetHostByAddr("127.0.0.1")); got != "ip6-localhost|ip6-loopback|127.0.0.1" {
		t.Errorf("GetHostByAddr(127.0.0.1) = %s", got)
	}
	for addr, want := range map[string]string{"127.0.0.1": "ip6-localhost", "::1": "ip6-localhost", "10.1.1.5": "delta"} {
		host, serv, err := GetNameInfo(context.Background(), HostAddr{Host: addr, Port: 80, Fam: hostFamily(netip.MustParseAddr(addr))}, NI_NUMERICSERV)
		if host != want || serv != "80" || err != nil {
			t.Errorf("GetNameInfo(%s:80) = %q %q %v, want %s 80", addr, host, serv, err, want)
		}
	}
}

// pyHosts prints gethostbyname_ex of each name after "--" in its
// arguments and gethostbyaddr of each address before it, and the
// canonical name getaddrinfo gives each name.
const pyHosts = `
import socket, sys
def show(f, a):
    try:
        h, al, ad = f(a)
        return "%s|%s|%s" % (h, ",".join(al), ",".join(ad))
    except OSError as e:
        return type(e).__name__
cut = sys.argv.index("--")
for a in sys.argv[1:cut]:
    print(show(socket.gethostbyaddr, a))
for n in sys.argv[cut + 1:]:
    print(show(socket.gethostbyname_ex, n))
    print(socket.getaddrinfo(n, None, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_CANONNAME)[0][3])
`

// TestHostsAsCPython asks CPython and conn about the addresses and names
// of this machine's hosts file (those glibc answers from the file alone).
func TestHostsAsCPython(t *testing.T) {
	var addrs, names []string
	seen := map[string]bool{}
	for _, l := range hostsLines(AF_UNSPEC) {
		if a := l.ip.String(); !seen[a] && len(addrs) < 16 {
			seen[a] = true
			addrs = append(addrs, a)
		}
		// Names of IPv4 lines only: for a name on a ::1 line alone glibc's
		// getaddrinfo(AF_INET) answers 127.0.0.1 where Go's resolver,
		// which GetAddrInfo uses, has no IPv4 address.
		if l.ip.Is4() || l.ip.Is4In6() {
			for _, n := range l.names {
				if !seen[n] && len(names) < 16 {
					seen[n] = true
					names = append(names, n)
				}
			}
		}
	}
	if len(addrs) == 0 {
		t.Skip("nothing in", hostsPath)
	}
	var got []string
	for _, a := range addrs {
		got = append(got, hostEntry(GetHostByAddr(a)))
	}
	for _, n := range names {
		got = append(got, hostEntry(GetHostByNameEx(n)))
		ai, err := GetAddrInfo(context.Background(), n, "", AF_INET, SOCK_STREAM, 0, AI_CANONNAME)
		must(t, err)
		got = append(got, ai[0].CanonName)
	}
	py, ok := pyLines(t, pyHosts, append(append(addrs, "--"), names...)...)
	if !ok {
		t.Skip("python3 is not on PATH")
	}
	if strings.Join(got, "\n") != strings.Join(py, "\n") {
		t.Errorf("conn:\n\t%q\nCPython:\n\t%q", got, py)
	}
}
