package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sockloop/sockloop/loop"
)

// The handover between two processes of this program. The old one starts
// the new one with its listening sockets as descriptors 3 to 3+n-1 and
// the write end of a pipe as descriptor 3+n, and says so in the
// environment: RESTART_FDS=n (systemd's LISTEN_FDS cannot be used, as
// LISTEN_PID must name a process that does not exist yet). The new one
// serves the sockets, writes "ready" to the pipe once every loop runs, and
// only then does the old one stop accepting: connections that arrive in
// between wait in the sockets' queues, which stay open as long as one
// process holds them.
const (
	envFDs     = "RESTART_FDS"
	envSystemd = "RESTART_SYSTEMD" // the line of processes began with systemd's sockets
	readyWord  = "ready\n"
)

// readyTimeout bounds how long the old process waits for the new one.
const readyTimeout = 30 * time.Second

// listen gives the engine its sockets: those a previous process handed
// over, else systemd's, else a new one on -addr. It returns the pipe to
// announce readiness on, nil for a process that nobody waits for.
func (s *server) listen() (*os.File, error) {
	if n, ok := os.LookupEnv(envFDs); ok {
		os.Unsetenv(envFDs) // for this process's own restarts to set
		return inherit(s.e, n)
	}
	addrs, err := s.e.ListenSystemd()
	if err != nil || len(addrs) > 0 {
		os.Setenv(envSystemd, "1")
		return nil, err
	}
	_, err = s.e.Listen(s.network + "://" + s.addr)
	return nil, err
}

// inherit serves the n sockets a previous process handed over and returns
// the pipe that it waits on.
func inherit(e *loop.Engine, n string) (*os.File, error) {
	count, err := strconv.Atoi(n)
	if err != nil || count < 0 {
		return nil, fmt.Errorf("%s=%q: want a count of descriptors", envFDs, n)
	}
	for fd := 3; fd < 3+count; fd++ {
		if _, err := e.ListenFD(fd); err != nil {
			return nil, err
		}
	}
	return os.NewFile(uintptr(3+count), "restart-ready"), nil
}

// announce tells whoever waits that this process serves: once every loop
// runs (and so accepts), it writes the pidfile and then the ready word.
func (s *server) announce(ready *os.File) error {
	for _, l := range s.e.Loops() {
		running := make(chan struct{})
		if err := l.Submit(func() { close(running) }); err != nil {
			return err
		}
		<-running
	}
	if s.pidfile != "" {
		if err := writePidfile(s.pidfile); err != nil {
			return err
		}
	}
	if ready == nil {
		return nil
	}
	defer ready.Close()
	_, err := io.WriteString(ready, readyWord)
	return err
}

// writePidfile replaces path with this process's id in one rename, so
// that a reader never sees it half written.
func writePidfile(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pid-")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(tmp, "%d\n", os.Getpid())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// restart starts a new process of this program on the engine's sockets
// and returns once it serves. A new process that fails to is killed, and
// this one serves on.
func (s *server) restart() error {
	files, err := s.e.ListenerFiles()
	if err != nil {
		return err
	}
	defer closeAll(files) // the new process holds its own once started
	ready, readyW, err := os.Pipe()
	if err != nil {
		return err
	}
	defer ready.Close()
	// The program at the path this one was started from, so that a
	// restart after an upgrade runs the new binary.
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = append(withoutEnv(os.Environ(), envFDs), envFDs+"="+strconv.Itoa(len(files)))
	cmd.ExtraFiles = append(files, readyW)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err = cmd.Start()
	readyW.Close() // EOF on ready once the new process has it closed too
	if err != nil {
		return err
	}
	if err := awaitReady(ready); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return err
	}
	return cmd.Process.Release() // it outlives this process, which does not wait for it
}

// awaitReady waits for the ready word, failing if the new process closes
// the pipe (or exits) first, or takes longer than readyTimeout.
func awaitReady(ready *os.File) error {
	ready.SetReadDeadline(time.Now().Add(readyTimeout))
	got := make([]byte, len(readyWord))
	if _, err := io.ReadFull(ready, got); err != nil {
		return fmt.Errorf("the new process did not report serving: %w", err)
	}
	if string(got) != readyWord {
		return fmt.Errorf("the new process reported %q", got)
	}
	return nil
}

// retire ends this process once its successor serves: the stop closes
// its listening descriptors and lets its open connections run until their
// peers close them (echo's OnStop), for up to -drain, then closes what is
// left. A socket's queue is untouched: the engine closes its own
// descriptors only, and the successor holds the sockets.
func (s *server) retire() error {
	ctx, cancel := context.WithTimeout(context.Background(), s.drain)
	defer cancel()
	if err := s.e.Stop(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

func closeAll(files []*os.File) {
	for _, f := range files {
		f.Close()
	}
}

// withoutEnv returns env without the variable name.
func withoutEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
