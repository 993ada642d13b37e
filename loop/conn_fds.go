package loop

// TakeFDs returns the descriptors that arrived with the input of the current
// OnTraffic call (WithAncillary, Unix stream connections) and hands their
// ownership to the caller; descriptors not taken by the end of the callback
// are closed. Windows passes no descriptors: there it returns nil.
func (c *Conn) TakeFDs() []int {
	if c.x == nil {
		return nil
	}
	fds := c.x.fds
	c.x.fds = nil
	return fds
}

// closeUntakenFDs closes the descriptors the handler did not take.
func (c *Conn) closeUntakenFDs() {
	if c.x == nil {
		return
	}
	for _, fd := range c.x.fds {
		closeFD(fd)
	}
	c.x.fds = c.x.fds[:0]
}
