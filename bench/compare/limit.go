//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// buildLimit compiles the C floor servers of bench/limit into a temporary
// directory and returns it.
func buildLimit(src string) (string, error) {
	dir, err := os.MkdirTemp("", "compare-limit-")
	if err != nil {
		return "", err
	}
	for _, name := range []string{"echo", "http", "proxy"} {
		out, err := exec.Command("gcc", "-O2", "-Wall", "-o", filepath.Join(dir, name),
			filepath.Join(src, name+".c"), "-lpthread").CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("gcc %s.c: %v\n%s", name, err, out)
		}
	}
	return dir, nil
}
