package netconn

// The bounds, for the tests of memory per connection.
const (
	InputHigh  = inputHigh
	OutputHigh = outputHigh
	WriteChunk = writeChunk
)

// Held returns the input c holds for its readers, the output it handed to
// the loop and not yet sent, and whether the loop stopped reading for it.
func Held(c *Conn) (in, out int, paused bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buffered(), c.pending, c.paused
}

// Queued returns how many connections wait for Accept.
func Queued(ln *Listener) int { return len(ln.queue) }
