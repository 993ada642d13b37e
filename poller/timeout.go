package poller

import "time"

// waitMillis converts a Wait timeout to the milliseconds epoll_wait takes,
// rounding up so that a timer due in 200µs does not turn into a busy poll.
func waitMillis(timeout time.Duration) int {
	switch {
	case timeout < 0:
		return -1
	case timeout == 0:
		return 0
	case timeout > time.Duration(1<<31-1)*time.Millisecond:
		return 1<<31 - 1
	}
	return int((timeout + time.Millisecond - 1) / time.Millisecond)
}
