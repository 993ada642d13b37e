//go:build unix

package conn

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// aiRequest is one GetAddrInfo request on 127.0.0.1, AF_INET.
type aiRequest struct {
	service string
	typ     Type
	proto   Proto
	flags   AIFlag
}

// aiRequests cover the socket kinds: named and numeric services with and
// without a type or protocol, SOCK_RAW, SOCK_SEQPACKET and SCTP, and kinds
// glibc does not know.
var aiRequests = []aiRequest{
	{service: "http"},
	{service: "80"},
	{},
	{service: "http", proto: IPPROTO_TCP},
	{service: "http", proto: IPPROTO_UDP},
	{service: "80", proto: IPPROTO_TCP},
	{service: "80", proto: IPPROTO_UDP},
	{service: "domain"},
	{service: "domain", proto: IPPROTO_UDP},
	{service: "amqp"},
	{service: "amqp", proto: ipprotoSCTP},
	{service: "amqp", typ: SOCK_SEQPACKET},
	{service: "80", typ: SOCK_SEQPACKET},
	{service: "http", typ: SOCK_SEQPACKET},
	{service: "80", typ: SOCK_RAW},
	{service: "http", typ: SOCK_RAW},
	{typ: SOCK_RAW},
	{proto: IPPROTO_ICMP},
	{service: "80", proto: IPPROTO_ICMP},
	{service: "80", typ: SOCK_STREAM, proto: ipprotoSCTP},
	{service: "80", proto: ipprotoSCTP},
	{service: "80", typ: SOCK_DGRAM, proto: IPPROTO_TCP},
	{service: "80", typ: SOCK_STREAM, proto: IPPROTO_UDP},
	{service: "80", typ: SOCK_RDM},
	{service: "80", typ: sockDCCP},
	{service: "80", proto: ipprotoUDPLite},
	{service: "80", proto: IPPROTO_RAW},
	{service: "http", flags: AI_NUMERICSERV},
	{service: "http", typ: SOCK_RAW, flags: AI_NUMERICSERV},
	{service: "nosuchservice"},
	{service: "-1"},
}

// pyGetAddrInfoKinds prints, for each request "service,type,proto,flags",
// the kinds and ports of getaddrinfo's results or the EAI code's name.
const pyGetAddrInfoKinds = `
import socket, sys
eai = {getattr(socket, n): n for n in dir(socket) if n.startswith("EAI_")}
for req in sys.argv[1:]:
    svc, typ, proto, flags = req.split(",")
    try:
        res = socket.getaddrinfo("127.0.0.1", svc or None, socket.AF_INET, int(typ), int(proto), int(flags))
        print(" ".join("%d/%d/%d" % (t, p, sa[1]) for f, t, p, c, sa in res))
    except socket.gaierror as e:
        print(eai[e.errno])
`

// getAddrInfoKinds runs aiRequests through GetAddrInfo and prints as
// pyGetAddrInfoKinds does; it also returns the requests as its arguments.
func getAddrInfoKinds(t *testing.T) (got, args []string) {
	for _, r := range aiRequests {
		args = append(args, fmt.Sprintf("%s,%d,%d,%d", r.service, r.typ, r.proto, r.flags))
		res, err := GetAddrInfo(context.Background(), "127.0.0.1", r.service, AF_INET, r.typ, r.proto, r.flags)
		var ge *GAIError
		switch {
		case errors.As(err, &ge):
			got = append(got, ge.Code.String())
			continue
		case err != nil:
			t.Fatalf("%+v: %v", r, err)
		}
		var kinds []string
		for _, ai := range res {
			kinds = append(kinds, fmt.Sprintf("%d/%d/%d", ai.Type, ai.Proto, ai.Addr.(Inet4Addr).Port))
		}
		got = append(got, strings.Join(kinds, " "))
	}
	return got, args
}

// TestGetAddrInfoKinds: the socket kinds and ports glibc gives, from a
// services file of known content (that of Debian 12 for these names).
func TestGetAddrInfoKinds(t *testing.T) {
	services := filepath.Join(t.TempDir(), "services")
	must(t, os.WriteFile(services, []byte("http 80/tcp www\ndomain 53/tcp\ndomain 53/udp\namqp 5672/tcp\namqp 5672/sctp\n"), 0o600))
	old := servicesPath
	servicesPath = services
	defer func() { servicesPath = old }()
	got, _ := getAddrInfoKinds(t)
	want := []string{
		"1/6/80",
		"1/6/80 2/17/80 3/0/80",
		"1/6/0 2/17/0 3/0/0",
		"1/6/80",
		"EAI_SERVICE",
		"1/6/80",
		"2/17/80",
		"1/6/53 2/17/53",
		"2/17/53",
		"1/6/5672 1/132/5672 5/132/5672",
		"1/132/5672",
		"5/132/5672",
		"5/132/80",
		"EAI_SERVICE",
		"EAI_SERVICE",
		"EAI_SERVICE",
		"3/0/0",
		"3/1/0",
		"EAI_SERVICE",
		"1/132/80",
		"1/132/80",
		"EAI_SOCKTYPE",
		"EAI_SOCKTYPE",
		"EAI_SOCKTYPE",
		"6/33/80",
		"2/136/80",
		"EAI_SERVICE",
		"EAI_NONAME",
		"EAI_NONAME",
		"EAI_SERVICE",
		"EAI_SERVICE",
	}
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("%+v: %s, want %s", aiRequests[i], got[i], want[i])
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d answers, want %d", len(got), len(want))
		}
	}
}

// TestGetAddrInfoKindsAsCPython asks CPython (glibc) and conn the same
// requests with this machine's services file.
func TestGetAddrInfoKindsAsCPython(t *testing.T) {
	if _, err := os.Stat(servicesPath); err != nil {
		t.Skip("no services file:", err)
	}
	got, args := getAddrInfoKinds(t)
	py, ok := pyLines(t, pyGetAddrInfoKinds, args...)
	if !ok {
		t.Skip("python3 is not on PATH")
	}
	for i := range min(len(got), len(py)) {
		if got[i] != py[i] {
			t.Errorf("%s: conn %s, CPython %s", strconv.Quote(args[i]), got[i], py[i])
		}
	}
	if len(got) != len(py) {
		t.Errorf("conn %d answers, CPython %d", len(got), len(py))
	}
}
