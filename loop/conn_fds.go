package loop

// TakeFDs returns the descriptors that arrived with the input of the current
// OnTraffic call (WithAncillary, Unix stream connections) and hands their
// ownership to the caller; descriptors not taken by the end of the callback
// are closed. Windows passes no descriptors: there it returns nil.
func (c *Conn) TakeFDs() []int {
	fds := c.fds
	c.fds = nil
	return fds
}

// closeUntakenFDs closes the descriptors the handler did not take.
func (c *Conn) closeUntakenFDs() {
	for _, fd := range c.fds {
		closeFD(fd)
	}
	c.fds = c.fds[:0]
}
