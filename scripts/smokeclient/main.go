// Command smokeclient is the small TCP client scripts/smoke.sh needs where a
// fresh CI machine has no nc: it finds free ports, waits for servers to
// listen, and checks an echo path (directly or through examples/proxy).
//
//	smokeclient ports N          print N free 127.0.0.1 ports, one a line
//	smokeclient wait ADDR...     wait (10 s at most) until each ADDR accepts
//	smokeclient echo ADDR [-conns N] [-bytes N]
//	                             send N bytes on each of N connections while
//	                             reading the echo, half-close, check that the
//	                             echo is whole and ends with EOF; print MB/s
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "ports":
		err = ports(os.Args[2:])
	case "wait":
		err = wait(os.Args[2:])
	case "echo":
		err = echo(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smokeclient:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: smokeclient ports N | wait ADDR... | echo ADDR [-conns N] [-bytes N]")
	os.Exit(2)
}

func ports(args []string) error {
	if len(args) != 1 {
		usage()
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return err
	}
	// Hold every listener until all are chosen, so that the ports differ.
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		lns = append(lns, ln)
		fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	}
	return nil
}

func wait(addrs []string) error {
	deadline := time.Now().Add(10 * time.Second)
	for _, a := range addrs {
		for {
			c, err := net.DialTimeout("tcp", a, time.Second)
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s never accepted: %w", a, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return nil
}

func echo(args []string) error {
	if len(args) < 1 {
		usage()
	}
	fs := flag.NewFlagSet("echo", flag.ExitOnError)
	conns := fs.Int("conns", 8, "connections")
	size := fs.Int("bytes", 4<<20, "bytes per connection")
	fs.Parse(args[1:])
	addr := args[0]
	start := time.Now()
	errs := make(chan error, *conns)
	var wg sync.WaitGroup
	for i := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- echoOne(addr, *size, uint64(i))
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%.1f MB/s (%d connections × %d bytes, each way)\n", float64(*conns**size)/secs/1e6, *conns, *size)
	return nil
}

func echoOne(addr string, size int, seed uint64) error {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	c := nc.(*net.TCPConn)
	defer c.Close()
	c.SetDeadline(time.Now().Add(60 * time.Second))
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{byte(seed)}).Read(data)
	werr := make(chan error, 1)
	go func() {
		if _, err := c.Write(data); err != nil {
			werr <- err
			return
		}
		werr <- c.CloseWrite()
	}()
	got, err := io.ReadAll(c)
	if err != nil {
		return fmt.Errorf("connection %d: read after %d bytes: %w", seed, len(got), err)
	}
	if err := <-werr; err != nil {
		return fmt.Errorf("connection %d: write: %w", seed, err)
	}
	if !bytes.Equal(got, data) {
		return errors.New("connection " + strconv.Itoa(int(seed)) + ": the echo differs from what was sent")
	}
	return nil
}
