package loop

import "testing"

func TestConnTable(t *testing.T) {
	var tab connTable
	a, b, c := &Conn{fd: 3}, &Conn{fd: 1000}, &Conn{fd: maxIndexedFd + 5}
	for _, x := range []*Conn{a, b, c} {
		tab.put(x.fd, x)
	}
	tab.put(a.fd, a) // again, as a dial that connects is
	if tab.len() != 3 {
		t.Fatalf("len %d after three connections, want 3", tab.len())
	}
	for _, x := range []*Conn{a, b, c} {
		if got := tab.get(x.fd); got != x {
			t.Errorf("get(%d) = %p, want %p", x.fd, got, x)
		}
	}
	for _, fd := range []int{-1, 0, 4, 999, 1 << 30, maxIndexedFd + 6} {
		if got := tab.get(fd); got != nil {
			t.Errorf("get(%d) = %p, want nil", fd, got)
		}
	}
	seen := 0
	tab.each(func(x *Conn) {
		seen++
		tab.remove(x.fd) // as closing at Stop does
	})
	tab.remove(a.fd) // twice: nothing happens
	if seen != 3 || tab.len() != 0 || tab.get(b.fd) != nil || tab.get(c.fd) != nil {
		t.Fatalf("each saw %d, then len %d; want 3, 0 and nothing left", seen, tab.len())
	}
}
