package conn

import (
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestSetHostNameRejectsLongNames(t *testing.T) {
	// Too long for the kernel: refused without touching the host name.
	if err := SetHostName(strings.Repeat("x", 100)); !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.EPERM) {
		t.Errorf("SetHostName(100 bytes): %v, want EINVAL (or EPERM)", err)
	}
}

func TestHostLookupsFromHostsFile(t *testing.T) {
	hosts, err := os.ReadFile("/etc/hosts")
	if err != nil || !strings.Contains(string(hosts), "127.0.0.1") || !strings.Contains(string(hosts), "localhost") {
		t.Skip("no 127.0.0.1 localhost line in /etc/hosts")
	}
	host, _, addrs, err := GetHostByAddr("127.0.0.1")
	if err != nil || host == "" || len(addrs) != 1 || addrs[0] != "127.0.0.1" {
		t.Errorf("GetHostByAddr = %q %v %v", host, addrs, err)
	}
	_, _, addrs, err = GetHostByNameEx("localhost")
	if err != nil || len(addrs) == 0 {
		t.Errorf("GetHostByNameEx(localhost) = %v, %v", addrs, err)
	}
	if ip, err := GetHostByName("localhost"); err != nil || ip == "" {
		t.Errorf("GetHostByName(localhost) = %q, %v", ip, err)
	}
	if _, _, _, err := GetHostByAddr("not a host name!"); err == nil {
		t.Error("GetHostByAddr(bad name) succeeded")
	}
	var ge *GAIError
	if _, err := GetHostByName("not a host name!"); !errors.As(err, &ge) || !strings.Contains(ge.Error(), "EAI_NONAME") {
		t.Errorf("GetHostByName(bad name): %v", err)
	}
}
