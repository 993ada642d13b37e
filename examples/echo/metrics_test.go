package main

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sockloop/sockloop/examples/internal/exampletest"
)

// TestMetrics runs the binary with -metrics, echoes a message, and finds
// the connection and its bytes in /debug/vars.
func TestMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	addr, metrics := exampletest.FreePort(t), exampletest.FreePort(t)
	srv := exampletest.Start(t, "-addr", addr, "-loops", "2", "-metrics", metrics)
	c := exampletest.DialRetry(t, addr)
	msg := []byte("count me")
	c.Write(msg)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.ReadFull(c, make([]byte, len(msg))); err != nil {
		t.Fatal(err)
	}
	c.Close()
	var vars struct {
		Sockloop map[string]uint64   `json:"sockloop"`
		Loops    []map[string]uint64 `json:"sockloop_loops"`
	}
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + metrics + "/debug/vars")
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&vars)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if vars.Sockloop["closed_orderly"] == 1 || i == 500 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	s := vars.Sockloop
	if s["accepted"] != 1 || s["closed_orderly"] != 1 || s["bytes_in"] != uint64(len(msg)) || s["bytes_out"] != uint64(len(msg)) || s["open"] != 0 {
		t.Fatalf("sockloop = %v; want the echoed connection counted", s)
	}
	if len(vars.Loops) != 2 || vars.Loops[0]["accepted"]+vars.Loops[1]["accepted"] != s["accepted"] {
		t.Fatalf("sockloop_loops = %v; want two loops that add up to %v", vars.Loops, s)
	}
	srv.StopQuietly(t)
}
