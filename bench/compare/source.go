//go:build linux

package main

import (
	"os/exec"
	"strings"
)

// sockloopSource describes the sockloop code under test: the replace
// directive builds the checkout at ../.., uncommitted changes included.
func sockloopSource() string {
	head, err := exec.Command("git", "-C", "../..", "log", "-1", "--format=%h %s").Output()
	if err != nil {
		return "unknown (no git)"
	}
	s := "checkout at " + strings.TrimSpace(string(head))
	dirty, _ := exec.Command("git", "-C", "../..", "status", "--porcelain", "--", "loop", "poller", "internal", "codec", "conn", "sockopt").Output()
	if n := strings.Count(string(dirty), "\n"); n > 0 {
		s += ", with uncommitted changes to the library at the time of the run (" + strings.Join(strings.Fields(strings.ReplaceAll(string(dirty), "\n", " ")), " ") + ")"
	}
	return s
}
