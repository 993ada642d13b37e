//go:build unix

package conn

// Where the hosts, services and protocols databases are read from; tests
// may point them elsewhere.
var (
	hostsPath     = "/etc/hosts"
	servicesPath  = "/etc/services"
	protocolsPath = "/etc/protocols"
)
