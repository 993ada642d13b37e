//go:build unix || windows

package conn

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// fallbackProtocols answers GetProtoByName when /etc/protocols is missing.
var fallbackProtocols = map[string]int{"ip": 0, "icmp": 1, "tcp": 6, "udp": 17, "ipv6": 41, "ipv6-icmp": 58, "raw": 255}

// scanDB calls fn with the fields of each line of a netdb file, without
// comments, until fn returns true.
func scanDB(path string, fn func(fields []string) bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if fields := strings.Fields(line); len(fields) >= 2 && fn(fields) {
			return nil
		}
	}
	return sc.Err()
}

// GetServByName returns the port of a service from /etc/services; proto
// ("tcp", "udp") may be empty for any. Nothing found is a *NetDBError.
func GetServByName(service, proto string) (int, error) {
	port := -1
	err := scanDB(servicesPath, func(f []string) bool {
		p, pr, ok := strings.Cut(f[1], "/")
		if !ok || (proto != "" && pr != proto) {
			return false
		}
		if f[0] == service || contains(f[2:], service) {
			port, _ = strconv.Atoi(p)
			return true
		}
		return false
	})
	if port < 0 {
		return 0, &NetDBError{Op: "getservbyname", Name: withProto(service, proto), Reason: "service/proto not found", Err: err}
	}
	return port, nil
}

// GetServByPort returns the name of a service by port from /etc/services;
// proto may be empty for any. Nothing found is a *NetDBError.
func GetServByPort(port int, proto string) (string, error) {
	if port < 0 || port > 65535 {
		return "", valueErr("getservbyport", "port must be 0-65535")
	}
	name := ""
	want := strconv.Itoa(port)
	err := scanDB(servicesPath, func(f []string) bool {
		p, pr, ok := strings.Cut(f[1], "/")
		if ok && p == want && (proto == "" || pr == proto) {
			name = f[0]
			return true
		}
		return false
	})
	if name == "" {
		return "", &NetDBError{Op: "getservbyport", Name: withProto(want, proto), Reason: "port/proto not found", Err: err}
	}
	return name, nil
}

// GetProtoByName returns a protocol number from /etc/protocols, or from a
// built-in table of the common ones when the file is missing. Nothing
// found is a *NetDBError.
func GetProtoByName(name string) (Proto, error) {
	num := -1
	err := scanDB(protocolsPath, func(f []string) bool {
		if f[0] == name || contains(f[2:], name) {
			num, _ = strconv.Atoi(f[1])
			return true
		}
		return false
	})
	if num < 0 && err != nil {
		if n, ok := fallbackProtocols[strings.ToLower(name)]; ok {
			num = n
		}
	}
	if num < 0 {
		return 0, &NetDBError{Op: "getprotobyname", Name: name, Reason: "protocol not found", Err: err}
	}
	return Proto(num), nil
}

// withProto names a service lookup: "name/proto", or name for any proto.
func withProto(name, proto string) string {
	if proto == "" {
		return name
	}
	return name + "/" + proto
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
