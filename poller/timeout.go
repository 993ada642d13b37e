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

// rawPart is how long the raw part of a blocking Wait lasts (see
// Options.RawWait): rawWait, or the whole timeout where that is shorter.
func rawPart(rawWait, timeout time.Duration) time.Duration {
	if timeout >= 0 {
		return min(rawWait, timeout)
	}
	return rawWait
}

// leftAfterRaw is what remains of a Wait's timeout once its raw part,
// begun at start, found nothing, and false if none does: the raw part can
// end early (a signal; the kernel's timer, by tens of microseconds), and a
// Wait must not end before its timeout. A negative timeout never runs out.
func leftAfterRaw(timeout time.Duration, start time.Time) (time.Duration, bool) {
	if timeout > 0 {
		if timeout -= time.Since(start); timeout <= 0 {
			return 0, false
		}
	}
	return timeout, true
}
