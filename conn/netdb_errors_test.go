//go:build unix

package conn

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// pyNetDBErrors prints the exception class CPython raises for service and
// protocol lookups that find nothing.
const pyNetDBErrors = `
import socket
for f, a in ((socket.getservbyname, ("sockloop-none", "udp")), (socket.getservbyname, ("sockloop-none",)),
             (socket.getservbyport, (1, "sockloop")), (socket.getprotobyname, ("sockloop-none",))):
    try:
        f(*a)
        print("found")
    except OSError as e:
        print(type(e).__name__)
`

// TestNetDBErrorsAsCPython: a service or protocol that is not there is an
// OSError in CPython, not the herror of host lookups; here a *NetDBError,
// not a *HostError.
func TestNetDBErrorsAsCPython(t *testing.T) {
	kind := func(err error) string {
		var ne *NetDBError
		var he *HostError
		switch {
		case err == nil:
			return "found"
		case errors.As(err, &he):
			return "herror"
		case errors.As(err, &ne):
			return "OSError"
		}
		return err.Error()
	}
	got := []string{
		kind(second(GetServByName("sockloop-none", "udp"))),
		kind(second(GetServByName("sockloop-none", ""))),
		kind(second(GetServByPort(1, "sockloop"))),
		kind(second(GetProtoByName("sockloop-none"))),
	}
	sameAsCPython(t, got, []string{"OSError", "OSError", "OSError", "OSError"}, pyNetDBErrors)
}

// TestNetDBErrorFields: the error names the call and what was looked up,
// and carries the error that kept the file from being read.
func TestNetDBErrorFields(t *testing.T) {
	dir := t.TempDir()
	services := filepath.Join(dir, "services")
	must(t, os.WriteFile(services, []byte("http 80/tcp www\n"), 0o600))
	oldS, oldP := servicesPath, protocolsPath
	servicesPath, protocolsPath = services, filepath.Join(dir, "missing")
	defer func() { servicesPath, protocolsPath = oldS, oldP }()
	var ne *NetDBError
	if _, err := GetServByName("http", "udp"); !errors.As(err, &ne) || ne.Op != "getservbyname" || ne.Name != "http/udp" || ne.Err != nil {
		t.Errorf("GetServByName(http, udp): %#v", err)
	}
	if _, err := GetServByPort(81, ""); !errors.As(err, &ne) || ne.Op != "getservbyport" || ne.Name != "81" {
		t.Errorf("GetServByPort(81): %#v", err)
	}
	if _, err := GetProtoByName("sockloop-none"); !errors.As(err, &ne) || ne.Op != "getprotobyname" || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("GetProtoByName without a file: %v", err)
	}
}
