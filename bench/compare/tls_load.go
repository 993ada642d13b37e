//go:build linux

package main

import (
	"bytes"
	"cmp"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/sockloop/sockloop/bench"
)

// The loads of the "tls" subcommand: wrk over https, and Go clients with
// crypto/tls that make handshakes (full, or resumed with a session cache per
// worker), hold connections idle, keep a few established connections busy
// with paced requests, or flood a server with handshakes (the "tlsload"
// subcommand, a process of its own).

// helloRequest is the request of every Go client: one GET, keep-alive.
var helloRequest = []byte("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")

// clientTLSConfig is the Go clients' config: TLS 1.3, X25519 only, the
// run's certificate as the only root (the chain is the leaf itself, so
// verifying it costs no signature check beyond the handshake's own),
// and with resume a session cache (each worker gets a clone, and so a
// cache, of its own).
func clientTLSConfig(certFile string, resume bool) (*tls.Config, error) {
	pemBytes, err := os.ReadFile(certFile)
	if err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("%s: no certificate", certFile)
	}
	cfg := &tls.Config{
		RootCAs:          roots,
		ServerName:       "127.0.0.1",
		MinVersion:       tls.VersionTLS13,
		MaxVersion:       tls.VersionTLS13,
		CurvePreferences: []tls.CurveID{pinnedCurve},
	}
	if resume {
		cfg.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	}
	return cfg, nil
}

// workerConfig is cfg for one worker: a session cache of its own where cfg
// has one.
func workerConfig(cfg *tls.Config) *tls.Config {
	c := cfg.Clone()
	if cfg.ClientSessionCache != nil {
		c.ClientSessionCache = tls.NewLRUClientSessionCache(4)
	}
	return c
}

// tlsDialer dials addr, from 127.0.0.1 to 127.0.0.churnSources in turn
// where addr is on 127.0.0.0/8 (as the churn client does: the TIME_WAITs of
// the connections the clients close spread over that many port ranges).
type tlsDialer struct {
	addr string
	loop bool
	seq  atomic.Uint32
}

func newTLSDialer(addr string) *tlsDialer {
	host, _, _ := net.SplitHostPort(addr)
	return &tlsDialer{addr: addr, loop: strings.HasPrefix(host, "127.")}
}

func (d *tlsDialer) dial(timeout time.Duration) (net.Conn, error) {
	nd := net.Dialer{Timeout: timeout}
	if d.loop {
		src := byte(1 + d.seq.Add(1)%churnSources)
		nd.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, src)}
		nd.Control = func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_BIND_ADDRESS_NO_PORT, 1)
			})
			return cmp.Or(err, serr)
		}
	}
	return nd.Dial("tcp", d.addr)
}

// httpsConn is one client connection: its TLS session and the buffer its
// responses are read into.
type httpsConn struct {
	tc  *tls.Conn
	buf []byte
}

// connect dials, handshakes and, unless handshakeOnly, makes one request
// and reads its response, all within timeout.
func connect(d *tlsDialer, cfg *tls.Config, timeout time.Duration, handshakeOnly bool) (*httpsConn, error) {
	raw, err := d.dial(timeout)
	if err != nil {
		return nil, err
	}
	c := &httpsConn{tc: tls.Client(raw, cfg)}
	c.tc.SetDeadline(time.Now().Add(timeout))
	if err := c.tc.Handshake(); err != nil {
		raw.Close()
		return nil, err
	}
	if !handshakeOnly {
		if err := c.roundTrip(); err != nil {
			raw.Close()
			return nil, err
		}
	}
	c.tc.SetDeadline(time.Time{})
	return c, nil
}

// roundTrip writes the request and reads the whole response.
func (c *httpsConn) roundTrip() error {
	if _, err := c.tc.Write(helloRequest); err != nil {
		return err
	}
	if c.buf == nil {
		c.buf = make([]byte, 0, 512)
	}
	c.buf = c.buf[:0]
	for {
		n, err := c.tc.Read(c.buf[len(c.buf):cap(c.buf)])
		c.buf = c.buf[:len(c.buf)+n]
		if size, perr := parseHTTPResponse(c.buf); perr != nil {
			return perr
		} else if size > 0 {
			if size != len(c.buf) {
				return fmt.Errorf("%d bytes past the response", len(c.buf)-size)
			}
			return nil
		}
		if err != nil {
			return err
		}
		if len(c.buf) == cap(c.buf) {
			c.buf = append(c.buf, 0)[:len(c.buf)]
		}
	}
}

// abort closes with a reset: no close_notify, no TIME_WAIT.
func (c *httpsConn) abort() {
	raw := c.tc.NetConn()
	if tc, ok := raw.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	raw.Close()
}

var errBadResponse = errors.New("not a 200 response with Hello, World!")

// parseHTTPResponse looks at b, the start of an HTTP/1.1 response: it
// returns the response's length once it is complete, 0 while it is not, and
// an error for anything but a 200 whose body is Hello, World! with a
// Content-Length.
func parseHTTPResponse(b []byte) (int, error) {
	end := bytes.Index(b, []byte("\r\n\r\n"))
	if end < 0 {
		if len(b) > 8192 {
			return 0, errBadResponse
		}
		return 0, nil
	}
	head := string(b[:end])
	lines := strings.Split(head, "\r\n")
	if !strings.HasPrefix(lines[0], "HTTP/1.1 200 ") && lines[0] != "HTTP/1.1 200" {
		return 0, fmt.Errorf("%w: %q", errBadResponse, lines[0])
	}
	length := -1
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if ok && strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil {
				return 0, fmt.Errorf("%w: Content-Length %q", errBadResponse, value)
			}
			length = n
		}
	}
	if length != len(hello) {
		return 0, fmt.Errorf("%w: Content-Length %d", errBadResponse, length)
	}
	size := end + 4 + length
	if len(b) < size {
		return 0, nil
	}
	if !bytes.Equal(b[end+4:size], hello) {
		return 0, fmt.Errorf("%w: body %q", errBadResponse, b[end+4:size])
	}
	return size, nil
}

// tlsParams names a connection's version, suite and key exchange as
// OpenSSL does.
func tlsParams(st tls.ConnectionState) string {
	v := strings.Replace(tls.VersionName(st.Version), "TLS ", "TLSv", 1)
	return v + " " + tls.CipherSuiteName(st.CipherSuite) + " " + st.CurveID.String()
}

// pinnedParams is tlsParams of a connection as every server must make it.
var pinnedParams = "TLSv1.3 TLS_AES_128_GCM_SHA256 X25519"

// hsResult is what a handshake load measured.
type hsResult struct {
	conns, resumed, errs, offPin int64 // offPin: connections not on the pinned parameters
	firstErr                     error
	lat                          bench.Latency // per connection: dial to the response's last byte
	took                         time.Duration
}

// handshakeLoad runs workers clients against addr for dur, each making
// connections one after the other: a dial, a handshake (resumed where cfg
// has a session cache), one request and its response, a close (close_notify
// and FIN). Each worker first makes one connection outside the timed part
// (which fills its session cache); mark runs at the start and the end of
// the timed part, which lasts until the last connection begun before dur
// passed has ended.
func handshakeLoad(addr string, cfg *tls.Config, workers int, dur time.Duration, mark func()) (hsResult, error) {
	d := newTLSDialer(addr)
	var (
		mu    sync.Mutex
		total hsResult
		ready sync.WaitGroup
		done  sync.WaitGroup
	)
	start := make(chan struct{})
	var deadline time.Time
	var warmErr atomic.Value
	ready.Add(workers)
	done.Add(workers)
	for range workers {
		go func() {
			defer done.Done()
			wcfg := workerConfig(cfg)
			var r hsResult
			if c, err := connect(d, wcfg, 10*time.Second, false); err != nil {
				warmErr.Store(err)
			} else {
				c.tc.Close()
			}
			ready.Done()
			<-start
			for time.Now().Before(deadline) {
				t0 := time.Now()
				c, err := connect(d, wcfg, 10*time.Second, false)
				if err != nil {
					r.errs++
					if r.firstErr == nil {
						r.firstErr = err
					}
					continue
				}
				st := c.tc.ConnectionState()
				c.tc.Close()
				r.lat.Record(time.Since(t0), 1)
				r.conns++
				if st.DidResume {
					r.resumed++
				}
				if tlsParams(st) != pinnedParams {
					r.offPin++
				}
			}
			mu.Lock()
			total.conns += r.conns
			total.resumed += r.resumed
			total.errs += r.errs
			total.offPin += r.offPin
			total.firstErr = cmp.Or(total.firstErr, r.firstErr)
			total.lat.Merge(&r.lat)
			mu.Unlock()
		}()
	}
	ready.Wait()
	if err, ok := warmErr.Load().(error); ok {
		deadline = time.Now() // the workers stop at once
		close(start)
		done.Wait()
		return hsResult{}, fmt.Errorf("warm-up connection: %v", err)
	}
	mark()
	t0 := time.Now()
	deadline = t0.Add(dur)
	close(start)
	done.Wait()
	total.took = time.Since(t0)
	mark()
	if total.conns == 0 {
		return total, fmt.Errorf("no connection completed (%d errors, first: %v)", total.errs, total.firstErr)
	}
	return total, nil
}

// openIdle opens n connections to addr, workers at a time, each with a full
// handshake and one request and response, and returns them open.
func openIdle(addr string, cfg *tls.Config, n, workers int) ([]*httpsConn, error) {
	d := newTLSDialer(addr)
	var (
		mu     sync.Mutex
		conns  = make([]*httpsConn, 0, n)
		left   atomic.Int64
		failed atomic.Int64
		first  atomic.Value
		wg     sync.WaitGroup
	)
	left.Store(int64(n))
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				c, err := connect(d, cfg, 20*time.Second, false)
				if err != nil {
					first.CompareAndSwap(nil, err)
					if failed.Add(1) > int64(n/100) { // give up past 1%
						return
					}
					left.Add(1) // try that one again
					continue
				}
				mu.Lock()
				conns = append(conns, c)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(conns) < n {
		closeAll(conns)
		return nil, fmt.Errorf("%d of %d connections opened, %d failed, first: %v", len(conns), n, failed.Load(), first.Load())
	}
	return conns, nil
}

// closeAll resets every connection.
func closeAll(conns []*httpsConn) {
	for _, c := range conns {
		c.abort()
	}
}

// probeResult is what the paced probes measured.
type probeResult struct {
	lat  bench.Latency
	errs int64
	err  error
}

// probe keeps each established connection busy for dur with one request
// every interval (a request whose answer comes later than that goes out on
// its answer), and records each one's round trip, from its write to the
// response's last byte.
func probe(conns []*httpsConn, dur, interval time.Duration) probeResult {
	var (
		mu  sync.Mutex
		out probeResult
		wg  sync.WaitGroup
	)
	end := time.Now().Add(dur)
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat bench.Latency
			var err error
			// Spread the probes over the interval.
			next := time.Now().Add(interval * time.Duration(i) / time.Duration(len(conns)))
			for {
				if wait := time.Until(next); wait > 0 {
					time.Sleep(wait)
				}
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				c.tc.SetDeadline(t0.Add(10 * time.Second))
				if err = c.roundTrip(); err != nil {
					break
				}
				lat.Record(time.Since(t0), 1)
				next = next.Add(interval)
				if now := time.Now(); next.Before(now) {
					next = now
				}
			}
			mu.Lock()
			out.lat.Merge(&lat)
			if err != nil {
				out.errs++
				out.err = cmp.Or(out.err, err)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// tlsLoadMain is the "tlsload" subcommand: a handshake load from this
// process, by hand, or (-flood) a flood of handshakes that counts them in
// memory it shares with the driver (-stats) and ends when killed or after
// -dur.
func tlsLoadMain(args []string) error {
	fs := flag.NewFlagSet("tlsload", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:9443", "HTTPS server")
	certFile := fs.String("ca", "", "the server's certificate (PEM), the only root trusted")
	workers := fs.Int("workers", 64, "concurrent clients")
	dur := fs.Duration("dur", 5*time.Second, "how long")
	resume := fs.Bool("resume", false, "resume sessions (a session cache per worker)")
	flood := fs.Bool("flood", false, "handshakes only, each connection closed once its handshake is done")
	stats := fs.String("stats", "", "with -flood: a file to count in, mapped shared (compare tls reads it)")
	fs.Parse(args)
	raiseNoFile()
	cfg, err := clientTLSConfig(*certFile, *resume)
	if err != nil {
		return err
	}
	if *flood {
		return runFlood(*addr, cfg, *workers, *dur, *stats)
	}
	cpu0 := selfCPU()
	r, err := handshakeLoad(*addr, cfg, *workers, *dur, func() {})
	if err != nil {
		return err
	}
	cpu := selfCPU() - cpu0
	fmt.Printf("%d connections in %v: %.0f/s, resumed %.3f, %d errors (first: %v), %d off %s, p50 %v p99 %v, client CPU %v/conn\n",
		r.conns, r.took.Round(time.Millisecond), float64(r.conns)/r.took.Seconds(), float64(r.resumed)/float64(r.conns),
		r.errs, r.firstErr, r.offPin, pinnedParams, r.lat.Quantile(0.5), r.lat.Quantile(0.99), cpu/time.Duration(r.conns))
	return nil
}

// floodCounters are the flood's counts, in a file that the flood process
// and the driver both map shared: the driver reads them the moment it
// wants them, however long the flood's thousands of busy goroutines would
// make a request to the flood process wait (a signal took over ten
// seconds to be served). Layout: handshakes, errors and handshakes in
// flight (int64 each), the first error's length, then its text from byte
// 64.
type floodCounters struct{ mem []byte }

const floodStatsSize = 4096

// mapFloodCounters maps name, created (and sized) where create is set.
func mapFloodCounters(name string, create bool) (floodCounters, error) {
	flags := os.O_RDWR
	if create {
		flags |= os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(name, flags, 0o600)
	if err != nil {
		return floodCounters{}, err
	}
	defer f.Close()
	if create {
		if err := f.Truncate(floodStatsSize); err != nil {
			return floodCounters{}, err
		}
	}
	mem, err := unix.Mmap(int(f.Fd()), 0, floodStatsSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return floodCounters{}, os.NewSyscallError("mmap", err)
	}
	return floodCounters{mem}, nil
}

func (f floodCounters) at(i int) *atomic.Int64    { return (*atomic.Int64)(unsafe.Pointer(&f.mem[8*i])) }
func (f floodCounters) handshakes() *atomic.Int64 { return f.at(0) }
func (f floodCounters) errors() *atomic.Int64     { return f.at(1) }
func (f floodCounters) inFlight() *atomic.Int64   { return f.at(2) }

// setFirstError keeps the text of the first error (from one goroutine:
// the flood calls it once).
func (f floodCounters) setFirstError(msg string) {
	if f.at(3).Load() != 0 {
		return
	}
	n := copy(f.mem[64:], msg)
	f.at(3).Store(int64(n)) // publishes the text
}

func (f floodCounters) firstError() string {
	return string(f.mem[64 : 64+f.at(3).Load()])
}

// runFlood keeps workers handshakes in flight against addr for dur: each
// worker dials, handshakes and closes, again and again. Without a stats
// file it counts in memory of its own and prints the counts at the end.
func runFlood(addr string, cfg *tls.Config, workers int, dur time.Duration, stats string) error {
	var fc floodCounters
	if stats != "" {
		var err error
		if fc, err = mapFloodCounters(stats, false); err != nil {
			return err
		}
	} else {
		fc = floodCounters{make([]byte, floodStatsSize)}
	}
	var first sync.Once
	d := newTLSDialer(addr)
	began := time.Now()
	for range workers {
		go func() {
			for {
				fc.inFlight().Add(1)
				c, err := connect(d, cfg, 30*time.Second, true)
				fc.inFlight().Add(-1)
				if err != nil {
					fc.errors().Add(1)
					first.Do(func() { fc.setFirstError(err.Error()) })
					time.Sleep(10 * time.Millisecond)
					continue
				}
				fc.handshakes().Add(1)
				c.tc.Close()
			}
		}()
	}
	time.Sleep(dur)
	if stats == "" {
		fmt.Printf("%d handshakes in %v (%.0f/s), %d errors (first: %s)\n", fc.handshakes().Load(), time.Since(began).Round(time.Millisecond),
			float64(fc.handshakes().Load())/time.Since(began).Seconds(), fc.errors().Load(), fc.firstError())
	}
	return nil
}

// flood is a running flood process and the counters it shares.
type flood struct {
	cmd *exec.Cmd
	fc  floodCounters
}

// startFlood starts this executable's tlsload -flood against addr, its
// counters in dir.
func startFlood(addr, certFile, dir string, workers int, limit time.Duration) (*flood, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	stats := filepath.Join(dir, "flood-"+strings.ReplaceAll(addr, ":", "-"))
	fc, err := mapFloodCounters(stats, true)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "tlsload", "-flood", "-addr", addr, "-ca", certFile,
		"-workers", strconv.Itoa(workers), "-dur", limit.String(), "-stats", stats)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		unix.Munmap(fc.mem)
		return nil, err
	}
	return &flood{cmd: cmd, fc: fc}, nil
}

// floodWindow is what the flood did over a span of time.
type floodWindow struct {
	handshakes, errors int64
	inFlight           float64 // mean over samples every 10 ms
	took               time.Duration
	firstError         string
}

// watch runs f while the flood runs and says what the flood did meanwhile.
func (fl *flood) watch(f func()) floodWindow {
	h0, e0, t0 := fl.fc.handshakes().Load(), fl.fc.errors().Load(), time.Now()
	done := make(chan struct{})
	sampled := make(chan float64)
	go func() {
		var sum float64
		var n int
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				sum += float64(fl.fc.inFlight().Load())
				n++
			case <-done:
				sampled <- sum / float64(max(n, 1))
				return
			}
		}
	}()
	f()
	close(done)
	w := floodWindow{inFlight: <-sampled, took: time.Since(t0)}
	w.handshakes, w.errors = fl.fc.handshakes().Load()-h0, fl.fc.errors().Load()-e0
	w.firstError = fl.fc.firstError()
	return w
}

// ramp waits until at least n handshakes are in flight, at least least and
// at most most; it reports whether n were reached.
func (fl *flood) ramp(n int, least, most time.Duration) bool {
	t0 := time.Now()
	time.Sleep(least)
	for fl.fc.inFlight().Load() < int64(n) {
		if time.Since(t0) > most {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// stop kills the flood and lets go of its counters.
func (fl *flood) stop() {
	fl.cmd.Process.Kill()
	fl.cmd.Wait()
	unix.Munmap(fl.fc.mem)
}

// raiseNoFile raises this process's open-files limit to its hard limit (Go
// does so at start-up too; this says so where it matters).
func raiseNoFile() {
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil && rl.Cur < rl.Max {
		rl.Cur = rl.Max
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
}

// noFileLimit is the open-files limit of this process.
func noFileLimit() uint64 {
	var rl syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	return rl.Cur
}

// wrkHTTPS runs wrk over https against addr for dur with threads threads
// (under taskset -c cpus where given) and conns connections.
func wrkHTTPS(addr string, conns, threads int, cpus []int, dur time.Duration) (wrkResult, int64, error) {
	argv := []string{"wrk", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conns),
		"-d", fmt.Sprintf("%.0fs", dur.Seconds()), "--latency", "https://" + addr + "/"}
	if len(cpus) > 0 {
		argv = append([]string{"taskset", "-c", cpuList(cpus)}, argv...)
	}
	cmd := exec.Command(argv[0], argv[1:]...) // taskset execs wrk: the times are wrk's
	out, err := cmd.CombinedOutput()
	if err != nil {
		return wrkResult{}, 0, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	res, sockErrs, err := parseWrk(out)
	res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return res, sockErrs, err
}

// sClientParams runs openssl s_client against addr (OpenSSL's defaults, as
// wrk's) and returns what it negotiated.
func sClientParams(addr string) (string, error) {
	cmd := exec.Command("openssl", "s_client", "-connect", addr, "-brief")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	p := parseSClient(out)
	if p == "" {
		return "", fmt.Errorf("openssl s_client: %v\n%s", err, out)
	}
	return p, nil
}

// parseSClient reads openssl s_client -brief's protocol, cipher suite and
// key exchange group, as tlsParams names them ("" without a protocol).
func parseSClient(out []byte) string {
	var proto, suite, group string
	for _, line := range strings.Split(string(out), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(name) {
		case "Protocol version":
			proto = value
		case "Ciphersuite":
			suite = value
		case "Peer Temp Key", "Server Temp Key", "Negotiated TLS1.3 group":
			group, _, _ = strings.Cut(value, ",")
		}
	}
	if proto == "" {
		return ""
	}
	return strings.Join([]string{proto, suite, group}, " ")
}
