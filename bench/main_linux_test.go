//go:build linux

package bench

import (
	"os"
	"testing"

	"github.com/sockloop/sockloop/internal/leaktest"
)

// TestMain fails the run if the tests or benchmarks leave descriptors or
// goroutines behind.
func TestMain(m *testing.M) { os.Exit(leaktest.Main(m)) }
