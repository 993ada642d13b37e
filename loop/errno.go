package loop

// step is what the loop does after a non-blocking system call.
type step uint8

const (
	stepOn    step = iota // it worked: go on
	stepAgain             // a signal interrupted it: call again (PEP 475)
	stepWait              // it would block: wait for the poller
	stepFail              // a real error
)

// classify sorts a system call's error into the loop's next step; EAGAIN
// and EINTR are told apart here and nowhere else.
func classify(err error) step {
	switch err {
	case nil:
		return stepOn
	case errIntr:
		return stepAgain
	case errAgain:
		return stepWait
	}
	return stepFail
}
