//go:build unix

package conn

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// pyLines runs a CPython script with args and returns the lines it
// printed, or ok false when python3 is not on PATH (CI installs it). A
// script that fails fails the test.
func pyLines(t *testing.T, script string, args ...string) (lines []string, ok bool) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 is not on PATH: no comparison with CPython")
		return nil, false
	}
	out, err := exec.Command(py, append([]string{"-c", script}, args...)...).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("python3: %v\n%s", err, msg)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n"), true
}

// sameAsCPython fails the test unless got is want, and, where python3 is
// on the machine, unless the script prints want too: the expectations are
// CPython's, checked against it wherever it can be run.
func sameAsCPython(t *testing.T, got, want []string, script string, args ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("conn:\n\t%q\nwant:\n\t%q", got, want)
	}
	if py, ok := pyLines(t, script, args...); ok && !slices.Equal(py, want) {
		t.Errorf("CPython:\n\t%q\nwant:\n\t%q", py, want)
	}
}
