package loop

import (
	"errors"
	"testing"
)

func TestListenerFilesUnsupported(t *testing.T) {
	e, _ := startEngine(t, newEchoHandler(), []string{"tcp://127.0.0.1:0"})
	files, err := e.ListenerFiles()
	if !errors.Is(err, errors.ErrUnsupported) || files != nil {
		t.Fatalf("ListenerFiles on Windows = %v, %v; want no files and errors.ErrUnsupported", files, err)
	}
	if err := e.StopAccepting(); err != nil {
		t.Fatalf("StopAccepting = %v", err)
	}
}
