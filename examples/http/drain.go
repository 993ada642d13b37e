package main

import "github.com/sockloop/sockloop/loop"

// OnStop closes an idle keep-alive connection at once and lets one with a
// request under way finish it: the loop's later answers carry
// "Connection: close" and the connection closes after the first of them.
func (s *server) OnStop(c *loop.Conn) loop.Action {
	s.loops[c.Loop().Index()].stopping = true
	if c.InboundBuffered() == 0 {
		return loop.Close
	}
	return loop.None
}
