//go:build unix

package conn

import (
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestHTTPOverListener serves net/http on a Listener and fetches through
// it: the net.Listener and net.Conn shapes are complete enough for it.
func TestHTTPOverListener(t *testing.T) {
	s, err := CreateServer(t.Context(), "127.0.0.1:0", false)
	must(t, err)
	l := s.Listener()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello "+r.URL.Path)
	})}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Get("http://" + l.Addr().String() + "/sockloop")
	must(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	must(t, err)
	if string(body) != "hello /sockloop" {
		t.Errorf("body %q", body)
	}
	must(t, srv.Close())
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve: %v", err)
	}
}

// TestEachCallUnderModes runs every waiting call on a socket that cannot
// make progress: timeout 0 fails at once with a would-block error that is
// not a timeout; a timeout fails with a timeout error once it passes.
func TestEachCallUnderModes(t *testing.T) {
	type call struct {
		name string
		run  func(s *Socket) error
	}
	recvCalls := []call{
		{name: "Recv", run: func(s *Socket) error { _, err := s.Recv(8); return err }},
		{name: "RecvInto", run: func(s *Socket) error { _, err := s.RecvInto(make([]byte, 8)); return err }},
		{name: "RecvFrom", run: func(s *Socket) error { _, _, err := s.RecvFrom(8); return err }},
		{name: "RecvFromInto", run: func(s *Socket) error { _, _, err := s.RecvFromInto(make([]byte, 8)); return err }},
		{name: "RecvMsg", run: func(s *Socket) error { _, _, _, _, err := s.RecvMsg(8, 0); return err }},
		{name: "RecvMsgInto", run: func(s *Socket) error { _, _, _, _, err := s.RecvMsgInto([][]byte{make([]byte, 8)}, nil); return err }},
		{name: "Read", run: func(s *Socket) error { _, err := s.Read(make([]byte, 8)); return err }},
	}
	sendCalls := []call{
		{name: "Send", run: func(s *Socket) error { _, err := s.Send(make([]byte, 1<<16)); return err }},
		{name: "SendAll", run: func(s *Socket) error { _, err := s.SendAll(make([]byte, 1<<16)); return err }},
		{name: "SendMsg", run: func(s *Socket) error { _, err := s.SendMsg([][]byte{make([]byte, 1<<16)}, nil, nil); return err }},
		{name: "Write", run: func(s *Socket) error { _, err := s.Write(make([]byte, 1<<16)); return err }},
	}
	full := func(t *testing.T) *Socket {
		a, _ := mustPair(t, AF_UNIX, SOCK_STREAM)
		must(t, a.SetBlocking(false))
		for {
			if _, err := a.Send(make([]byte, 1<<16)); errors.Is(err, ErrWouldBlock) {
				return a
			} else if err != nil {
				t.Fatal(err)
			}
		}
	}
	empty := func(t *testing.T) *Socket { a, _ := mustPair(t, AF_UNIX, SOCK_STREAM); return a }
	for _, group := range []struct {
		calls []call
		make  func(t *testing.T) *Socket
	}{{recvCalls, empty}, {sendCalls, full}} {
		for _, c := range group.calls {
			t.Run(c.name, func(t *testing.T) {
				s := group.make(t)
				must(t, s.SetTimeout(0))
				err := c.run(s)
				var ne net.Error
				if !errors.Is(err, ErrWouldBlock) || errors.Is(err, ErrTimeout) || (errors.As(err, &ne) && ne.Timeout()) {
					t.Errorf("timeout 0: %v, want would-block only", err)
				}
				must(t, s.SetTimeout(20*time.Millisecond))
				if err := c.run(s); !isTimeout(err) {
					t.Errorf("timeout 20ms: %v, want a timeout", err)
				}
			})
		}
	}
}
