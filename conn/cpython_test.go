//go:build unix

package conn

import (
	"os/exec"
	"strings"
	"testing"
)

// python3 returns the path of python3, or skips the test: the comparisons
// with CPython's socket module need it (CI installs it).
func python3(t *testing.T) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: the comparison with CPython needs it")
	}
	return py
}

// pyLines runs a CPython script with args and returns the lines it
// printed; a script that fails fails the test.
func pyLines(t *testing.T, script string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(python3(t), append([]string{"-c", script}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("python3: %v\n%s", err, msg)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}
