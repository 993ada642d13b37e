package poller

import (
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Delete and Close must leave no operation in flight: the OVERLAPPED of a
// cancelled receive is released only after its completion was dequeued.
func TestIOCPCancelWaitsForCompletion(t *testing.T) {
	pp, err := newPoller(Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := pp.(*iocp)
	var socks []windows.Handle
	for range 3 {
		h, err := windows.WSASocket(windows.AF_INET, windows.SOCK_DGRAM, windows.IPPROTO_UDP, nil, 0, windows.WSA_FLAG_OVERLAPPED)
		if err != nil {
			t.Fatal(err)
		}
		defer windows.Closesocket(h)
		if err := windows.Bind(h, &windows.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
			t.Fatal(err)
		}
		if err := p.Add(int(h), Readable); err != nil {
			t.Fatal(err)
		}
		socks = append(socks, h)
	}
	if n, err := p.Wait(make([]Ready, 4), 0); n != 0 || err != nil {
		t.Fatalf("Wait = %d, %v", n, err)
	}
	if len(p.ops) != 3 {
		t.Fatalf("%d receives pending after Wait, want 3", len(p.ops))
	}
	o := p.socks[int(socks[0])].rd
	if err := p.Delete(int(socks[0])); err != nil {
		t.Fatal(err)
	}
	if o.pending || len(p.ops) != 2 {
		t.Fatalf("after Delete: op pending %v, %d ops in flight; want false, 2", o.pending, len(p.ops))
	}
	var n, flags uint32
	if err := windows.WSAGetOverlappedResult(socks[0], &o.ov, &n, false, &flags); err != windows.ERROR_OPERATION_ABORTED {
		t.Fatalf("cancelled receive's result: %v, want ERROR_OPERATION_ABORTED", err)
	}
	start := time.Now()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if len(p.ops) != 0 {
		t.Fatalf("after Close: %d ops in flight", len(p.ops))
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Close took %v", d)
	}
	if len(orphans) != 0 {
		t.Fatalf("%d orphaned ops", len(orphans))
	}
}

func TestIOCPStructLayout(t *testing.T) {
	if s := unsafe.Sizeof(overlappedEntry{}); s != 32 {
		t.Errorf("OVERLAPPED_ENTRY is %d bytes, want 32", s)
	}
	if s := unsafe.Sizeof(wsaPollFd{}); s != 16 {
		t.Errorf("WSAPOLLFD is %d bytes, want 16", s)
	}
}
