package loop

import (
	"log/slog"
	"strings"
	"testing"
)

func TestUnavailableBackendFallsBackAndSaysSo(t *testing.T) {
	var logs syncBuffer
	e, err := New(newEchoHandler(), WithLoops(1), WithBackend("kqueue"), WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop(t.Context())
	// Linux has no kqueue: the engine runs on the default backend.
	if e.Backend() != "" || strings.Count(logs.String(), "backend unavailable") != 1 {
		t.Fatalf("Backend() = %q, logs:\n%s", e.Backend(), logs.String())
	}
}
