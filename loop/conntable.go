package loop

// connTable finds a loop's connections by descriptor. The kernel hands out
// the lowest free descriptor (Windows, the lowest free handle value), so a
// slice indexed by it stays dense and a lookup costs an index where a map
// costs a hash probe, on every event; a descriptor too large to index goes
// to a map instead.
type connTable struct {
	byFd  []*Conn
	large map[int]*Conn
	n     int
}

// maxIndexedFd bounds the slice: 4 Mi descriptors is 32 MiB of pointers.
const maxIndexedFd = 1 << 22

// get returns the connection on fd, or nil.
func (t *connTable) get(fd int) *Conn {
	if uint(fd) < uint(len(t.byFd)) {
		return t.byFd[fd]
	}
	if fd >= maxIndexedFd {
		return t.large[fd]
	}
	return nil
}

// put records c as the connection on fd, replacing any.
func (t *connTable) put(fd int, c *Conn) {
	if fd >= maxIndexedFd || fd < 0 {
		if t.large == nil {
			t.large = make(map[int]*Conn)
		}
		if t.large[fd] == nil {
			t.n++
		}
		t.large[fd] = c
		return
	}
	if fd >= len(t.byFd) {
		grown := make([]*Conn, max(2*len(t.byFd), fd+1, 64))
		copy(grown, t.byFd)
		t.byFd = grown
	}
	if t.byFd[fd] == nil {
		t.n++
	}
	t.byFd[fd] = c
}

// remove forgets the connection on fd, if any.
func (t *connTable) remove(fd int) {
	switch {
	case uint(fd) < uint(len(t.byFd)):
		if t.byFd[fd] != nil {
			t.byFd[fd] = nil
			t.n--
		}
	case t.large[fd] != nil:
		delete(t.large, fd)
		t.n--
	}
}

// len returns how many connections the table holds.
func (t *connTable) len() int { return t.n }

// each calls f for every connection; f may remove any of them.
func (t *connTable) each(f func(*Conn)) {
	for _, c := range t.byFd {
		if c != nil {
			f(c)
		}
	}
	for _, c := range t.large {
		f(c)
	}
}
