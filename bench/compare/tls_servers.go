//go:build linux

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "unsafe" // go:linkname

	"golang.org/x/sys/cpu"

	ltls "github.com/lesismal/llib/std/crypto/tls"
	"github.com/lesismal/nbio/logging"
	"github.com/lesismal/nbio/nbhttp"

	"github.com/sockloop/sockloop/loop"
	"github.com/sockloop/sockloop/poller"
)

// The HTTPS servers of the "tls" subcommand. Every one serves Hello, World!
// over TLS 1.3 only, TLS_AES_128_GCM_SHA256, X25519 only, with one ECDSA
// P-256 certificate made once per run. The Go ones are this executable's
// "tlsserver" subcommand; nginx runs with a config written per start.
//
// crypto/tls cannot be told which TLS 1.3 cipher suite to use (CipherSuites
// covers TLS 1.2 and older): a Go server picks TLS_AES_128_GCM_SHA256 from
// its own order wherever the client puts AES-GCM first and the CPU has AES
// instructions, as OpenSSL (wrk) and Go's client (the handshake loads) do.
// The run checks what each server negotiated rather than trust that.

// tlsImpls are the HTTPS servers, the baseline of every ratio first.
var tlsImpls = []string{"sockloop", "sockloop-uring", "nethttp", "nbio", "nginx"}

// tlsGoServers serve HTTPS on addr with cfg and the given loops (pollers)
// until killed; nginx is not among them.
var tlsGoServers = map[string]func(addr string, loops int, cert tls.Certificate) error{
	"sockloop":       serveSockloopHTTPS,
	"sockloop-uring": serveSockloopUringHTTPS,
	"nethttp":        serveNetHTTPS,
	"nbio":           serveNbioHTTPS,
}

// pinnedSuite and pinnedCurve are what every server must negotiate.
const (
	pinnedSuite = tls.TLS_AES_128_GCM_SHA256
	pinnedCurve = tls.X25519
)

// serverTLSConfig is crypto/tls's server config of every Go server but nbio.
func serverTLSConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{
		Certificates:     []tls.Certificate{cert},
		MinVersion:       tls.VersionTLS13,
		MaxVersion:       tls.VersionTLS13,
		CurvePreferences: []tls.CurveID{pinnedCurve},
	}
}

// serveSockloopHTTPS is the plaintext server of http_sockloop.go with
// loop.WithTLS: the same handler, which sees plaintext.
func serveSockloopHTTPS(addr string, loops int, cert tls.Certificate) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.Epoll, loop.WithTLS(serverTLSConfig(cert)))
}

func serveSockloopUringHTTPS(addr string, loops int, cert tls.Certificate) error {
	return serveSockloop(&sockloopHTTP{}, addr, loops, poller.IOURing, loop.WithTLS(serverTLSConfig(cert)))
}

// serveNetHTTPS is net/http's Server over tls.NewListener, the handler of
// http_nethttp.go. ServeTLS would add h2 to the ALPN list; neither wrk nor
// the handshake load offers ALPN, so both are HTTP/1.1 either way.
func serveNetHTTPS(addr string, _ int, cert tls.Certificate) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// Quiet: the start-up probe and the idle runs' resets would log.
	srv := &http.Server{Handler: http.HandlerFunc(netHTTPHello), ErrorLog: log.New(io.Discard, "", 0)}
	return srv.Serve(tls.NewListener(ln, serverTLSConfig(cert)))
}

// llibHasAESGCM is llib's crypto/tls fork's own idea of whether the CPU
// has AES-GCM instructions. It reads it from llib's copy of internal/cpu,
// which nothing initializes (the runtime does so for the standard
// library's only), so it is false on every CPU: llib then prefers
// ChaCha20-Poly1305 in TLS 1.3 whatever the client asks, and the pinned
// TLS_AES_128_GCM_SHA256 is out of reach of its configuration (crypto/tls
// and its forks take no TLS 1.3 suites from Config.CipherSuites).
//
//go:linkname llibHasAESGCM github.com/lesismal/llib/std/crypto/tls.hasAESGCMHardwareSupport
var llibHasAESGCM bool

// serveNbioHTTPS is nbio's nbhttp with TLS as its examples set it up:
// AddrsTLS with an llib (nbio's crypto/tls fork) config, the non-blocking
// mode, in which the poller goroutines run the handshakes and the records.
// llib is told the truth about the CPU's AES-GCM instructions first, so that
// it picks TLS_AES_128_GCM_SHA256 as crypto/tls does.
func serveNbioHTTPS(addr string, loops int, cert tls.Certificate) error {
	logging.SetLevel(logging.LevelError)
	llibHasAESGCM = runtime.GOARCH == "amd64" && cpu.X86.HasAES && cpu.X86.HasPCLMULQDQ ||
		runtime.GOARCH == "arm64" && cpu.ARM64.HasAES && cpu.ARM64.HasPMULL
	lcert := ltls.Certificate{Certificate: cert.Certificate, PrivateKey: cert.PrivateKey, Leaf: cert.Leaf}
	cfg := &ltls.Config{
		Certificates:     []ltls.Certificate{lcert},
		MinVersion:       ltls.VersionTLS13,
		MaxVersion:       ltls.VersionTLS13,
		CurvePreferences: []ltls.CurveID{ltls.X25519},
		// The server's order, AES-GCM first where the client prefers it, as
		// crypto/tls always does (llib still has the switch: OpenSSL's
		// order would give TLS_AES_256_GCM_SHA384).
		PreferServerCipherSuites: true,
	}
	srv := nbhttp.NewEngine(nbhttp.Config{
		Network:   "tcp",
		AddrsTLS:  []string{addr},
		TLSConfig: cfg,
		Handler:   http.HandlerFunc(netHTTPHello),
		NPoller:   loops,
	})
	if err := srv.Start(); err != nil {
		return err
	}
	select {}
}

// tlsServerMain is the "tlsserver" subcommand: one Go HTTPS server in this
// process.
func tlsServerMain(args []string) error {
	fs := flag.NewFlagSet("tlsserver", flag.ExitOnError)
	impl := fs.String("impl", "sockloop", "sockloop, sockloop-uring, nethttp or nbio")
	addr := fs.String("addr", "127.0.0.1:9443", "address to listen on")
	loops := fs.Int("loops", 2, "event loops (pollers)")
	certFile := fs.String("cert", "", "PEM certificate (compare tls makes one per run)")
	keyFile := fs.String("key", "", "PEM private key")
	fs.Parse(args)
	serve, ok := tlsGoServers[*impl]
	if !ok {
		return fmt.Errorf("no TLS server %q", *impl)
	}
	cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		return err
	}
	return serve(*addr, *loops, cert)
}

// writeSelfSigned makes an ECDSA P-256 key and a self-signed certificate
// for 127.0.0.1 and localhost, valid for a day, and writes them to
// dir/cert.pem and dir/key.pem (PKCS #8).
func writeSelfSigned(dir string) (certFile, keyFile string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return "", "", err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}), 0o600); err != nil {
		return "", "", err
	}
	return certFile, keyFile, nil
}

// nginxConfig is the config of nginx serving Hello, World! over HTTPS on
// addr with the given workers, everything it writes kept in dir: TLS 1.3
// only, TLS_AES_128_GCM_SHA256, X25519, one session ticket per handshake
// (OpenSSL sends two by default, crypto/tls one), no access log, keep-alive
// without a request limit, the accept backlog of the Go servers (somaxconn).
func nginxConfig(dir, addr string, workers, maxConns int, certFile, keyFile string) string {
	p := func(name string) string { return filepath.Join(dir, name) }
	return fmt.Sprintf(`# written by compare tls
worker_processes %d;
worker_rlimit_nofile %d;
pid %s;
error_log %s warn;
daemon off;
events {
    worker_connections %d;
}
http {
    access_log off;
    client_body_temp_path %s;
    proxy_temp_path %s;
    fastcgi_temp_path %s;
    uwsgi_temp_path %s;
    scgi_temp_path %s;
    keepalive_requests 1000000000;
    keepalive_timeout 600s;
    server {
        listen %s ssl backlog=4096;
        ssl_certificate %s;
        ssl_certificate_key %s;
        ssl_protocols TLSv1.3;
        ssl_ecdh_curve X25519;
        ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;
        ssl_conf_command NumTickets 1;
        location / {
            default_type "text/plain; charset=utf-8";
            return 200 "Hello, World!";
        }
    }
}
`, workers, maxConns, p("nginx.pid"), p("nginx-error.log"), maxConns,
		p("client_body"), p("proxy"), p("fastcgi"), p("uwsgi"), p("scgi"), addr, certFile, keyFile)
}

// tlsProc is one HTTPS server process (for nginx, the master and its
// workers), in a process group of its own.
type tlsProc struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has been waited for
}

// startTLSServer starts impl on addr with loops loops (nginx: workers),
// under taskset on cpus where given, and waits until it accepts.
func startTLSServer(impl, addr string, loops int, cpus []int, dir, certFile, keyFile string) (*tlsProc, error) {
	var argv []string
	if impl == "nginx" {
		conf := filepath.Join(dir, "nginx-"+strings.ReplaceAll(addr, ":", "-")+".conf")
		if err := os.WriteFile(conf, []byte(nginxConfig(dir, addr, loops, 20000, certFile, keyFile)), 0o644); err != nil {
			return nil, err
		}
		argv = []string{"nginx", "-e", filepath.Join(dir, "nginx-error.log"), "-p", dir, "-c", conf}
	} else {
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		argv = []string{self, "tlsserver", "-impl", impl, "-addr", addr, "-loops", strconv.Itoa(loops), "-cert", certFile, "-key", keyFile}
	}
	cmd := serverCommand(argv, cpus)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &tlsProc{cmd: cmd, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(p.exited)
	}()
	if err := awaitAccepting(impl, addr, p.exited); err != nil {
		p.stop()
		return nil, err
	}
	deadline := time.Now().Add(10 * time.Second)
	if impl == "nginx" {
		// The listening socket is the master's; wait for its workers.
		for len(childPIDs(cmd.Process.Pid)) < loops {
			if time.Now().After(deadline) {
				p.stop()
				return nil, fmt.Errorf("nginx on %s: fewer than %d workers", addr, loops)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return p, nil
}

// stop ends the server: SIGTERM first, which nginx's master passes on to
// its workers and waits for (its workers outlive a master killed alone),
// then SIGKILL to the whole process group after a second.
func (p *tlsProc) stop() {
	syscall.Kill(p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(time.Second):
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.exited
}

// pids are the server's process and its children (nginx's workers).
func (p *tlsProc) pids() []int {
	pid := p.cmd.Process.Pid
	return append([]int{pid}, childPIDs(pid)...)
}

// cpu is the user + system CPU time of the process and its children so
// far; a child that exited is not counted (the servers' do not).
func (p *tlsProc) cpu() (time.Duration, error) {
	var sum time.Duration
	for _, pid := range p.pids() {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return 0, err
		}
		d, err := statCPU(b)
		if err != nil {
			return 0, err
		}
		sum += d
	}
	return sum, nil
}

// statCPU is utime + stime from the text of a /proc/PID/stat (fields 14
// and 15, in ticks of USER_HZ = 100).
func statCPU(stat []byte) (time.Duration, error) {
	s := string(stat)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc stat %q", s)
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("bad /proc stat %q", s)
	}
	return time.Duration(ut+st) * time.Second / 100, nil
}

// rss is the VmRSS of the process and its children in KiB: nginx's workers
// hold the connections, the master none.
func (p *tlsProc) rss() (int64, error) {
	var sum int64
	for _, pid := range p.pids() {
		k, err := vmRSS(pid)
		if err != nil {
			return 0, err
		}
		sum += k
	}
	return sum, nil
}

// childPIDs lists the processes whose parent is pid, from /proc.
func childPIDs(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		if parentOf(b) == pid {
			out = append(out, child)
		}
	}
	return out
}

// parentOf reads the parent's PID from the text of a /proc/PID/stat, -1
// where it cannot: the fourth field, the second after the parenthesised
// command name (which may hold spaces and parentheses).
func parentOf(stat []byte) int {
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return -1
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return -1
	}
	return ppid
}
