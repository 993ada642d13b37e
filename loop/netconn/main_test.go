package netconn_test

import (
	"os"
	"testing"

	"github.com/sockloop/sockloop/internal/leaktest"
)

// TestMain fails the run if the tests leave descriptors or goroutines behind.
func TestMain(m *testing.M) { os.Exit(leaktest.Main(m)) }
