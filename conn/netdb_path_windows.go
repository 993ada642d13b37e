package conn

import (
	"os"
	"path/filepath"
)

// Where the hosts, services and protocols databases are read from:
// Windows keeps them, in the same format, under
// %SystemRoot%\System32\drivers\etc, and names the last "protocol". Tests
// may point them elsewhere.
var (
	hostsPath     = filepath.Join(systemRoot(), `System32\drivers\etc\hosts`)
	servicesPath  = filepath.Join(systemRoot(), `System32\drivers\etc\services`)
	protocolsPath = filepath.Join(systemRoot(), `System32\drivers\etc\protocol`)
)

func systemRoot() string {
	if r := os.Getenv("SystemRoot"); r != "" {
		return r
	}
	return `C:\Windows`
}
