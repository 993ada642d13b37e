//go:build unix

package conn

// Where the services and protocols databases are read from; tests may
// point them elsewhere.
var (
	servicesPath  = "/etc/services"
	protocolsPath = "/etc/protocols"
)
