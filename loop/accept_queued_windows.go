package loop

// queuedConn reports no waiting connection: each AcceptEx is an operation
// of its own, and no wake-up is lost when one is cancelled.
func queuedConn(fd int) bool { return false }
