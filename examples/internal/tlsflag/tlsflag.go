// Package tlsflag is the -tls flag of the examples that serve TLS:
// "CERT,KEY" names PEM files of a certificate chain and its key, and
// "self-signed" makes an ECDSA P-256 certificate for localhost, 127.0.0.1
// and ::1 at start-up, to try TLS at once (clients then skip verification,
// as curl -k does).
package tlsflag

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sockloop/sockloop/internal/selfsigned"
)

// SelfSigned is the -tls value that makes a certificate at start-up.
const SelfSigned = "self-signed"

// Register adds -tls to the default flag set; after flag.Parse, the
// returned function gives the server's TLS config with protos as its ALPN
// protocols, nil without -tls, or prints why the certificate cannot be
// used, prefixed by prog, and exits with status 2.
func Register(prog string, protos ...string) func() *tls.Config {
	value := flag.String("tls", "", `serve TLS: "CERT,KEY" (PEM files) or "`+SelfSigned+`"`)
	return func() *tls.Config {
		if *value == "" {
			return nil
		}
		cfg, err := Config(*value)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: -tls %s: %v\n", prog, *value, err)
			os.Exit(2)
		}
		cfg.NextProtos = protos
		return cfg
	}
}

// Config returns a server config for a -tls value.
func Config(value string) (*tls.Config, error) {
	if value == SelfSigned {
		cert, err := NewSelfSigned()
		if err != nil {
			return nil, err
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
	}
	certFile, keyFile, ok := strings.Cut(value, ",")
	if !ok {
		return nil, errors.New(`want "CERT,KEY" or "` + SelfSigned + `"`)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
}

// NewSelfSigned makes an ECDSA P-256 certificate for localhost, 127.0.0.1
// and ::1, valid for a year.
func NewSelfSigned() (tls.Certificate, error) {
	cert, _, err := selfsigned.New(365 * 24 * time.Hour)
	return cert, err
}
