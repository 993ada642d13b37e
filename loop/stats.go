package loop

import (
	"errors"
	"iter"

	"github.com/sockloop/sockloop/poller"
)

// Stats counts what a loop, or summed over its loops an engine, has done
// since it started. Every field but Open only grows.
type Stats struct {
	Accepted   uint64 // connections accepted from listeners
	Dialed     uint64 // dials that opened
	DialFailed uint64 // dials that never opened (refused, timed out, cancelled)
	Open       uint64 // connections open or connecting now

	// Connections closed, by reason: an orderly end by either side, a reset
	// or broken pipe, an expired timeout, the engine's stop, anything else.
	ClosedOrderly uint64
	ClosedReset   uint64
	ClosedTimeout uint64
	ClosedStopped uint64
	ClosedFailed  uint64
	// OutputDropped counts closed connections that still had output queued.
	OutputDropped uint64

	BytesIn  uint64 // read from stream sockets, spliced bytes included
	BytesOut uint64 // written to stream sockets, sendfile and splice included

	ReadTimeouts  uint64
	WriteTimeouts uint64
	IdleTimeouts  uint64

	// Paused counts the times a connection stopped reading because its
	// queued output passed the high-water mark (backpressure).
	Paused uint64
	// AcceptBackoffs counts pauses of a listener that ran out of
	// descriptors or memory.
	AcceptBackoffs uint64
	// RingOverflows counts the times io_uring's completion queue was found
	// full (its completions then wait in the kernel); 0 on other backends.
	RingOverflows uint64

	// TLS handshakes that finished, and those that failed (a handshake
	// cut short by a close or a timeout counts under those).
	TLSHandshakes        uint64
	TLSHandshakeFailures uint64
}

// counter names one of a loop's counters, which are plain integers that
// only its goroutine writes; publish copies them where other goroutines
// may read them.
type counter int

const (
	cAccepted counter = iota
	cDialed
	cDialFailed
	cClosedOrderly
	cClosedReset
	cClosedTimeout
	cClosedStopped
	cClosedFailed
	cOutputDropped
	cBytesIn
	cBytesOut
	cReadTimeouts
	cWriteTimeouts
	cIdleTimeouts
	cPaused
	cAcceptBackoffs
	cRingOverflows
	cTLSHandshakes
	cTLSFailed
	numCounters
)

// counters are a loop's counters: written by its goroutine only.
type counters [numCounters]uint64

// field returns the Stats field that counter i fills.
func (s *Stats) field(i counter) *uint64 {
	return [numCounters]*uint64{
		cAccepted:       &s.Accepted,
		cDialed:         &s.Dialed,
		cDialFailed:     &s.DialFailed,
		cClosedOrderly:  &s.ClosedOrderly,
		cClosedReset:    &s.ClosedReset,
		cClosedTimeout:  &s.ClosedTimeout,
		cClosedStopped:  &s.ClosedStopped,
		cClosedFailed:   &s.ClosedFailed,
		cOutputDropped:  &s.OutputDropped,
		cBytesIn:        &s.BytesIn,
		cBytesOut:       &s.BytesOut,
		cReadTimeouts:   &s.ReadTimeouts,
		cWriteTimeouts:  &s.WriteTimeouts,
		cIdleTimeouts:   &s.IdleTimeouts,
		cPaused:         &s.Paused,
		cAcceptBackoffs: &s.AcceptBackoffs,
		cRingOverflows:  &s.RingOverflows,
		cTLSHandshakes:  &s.TLSHandshakes,
		cTLSFailed:      &s.TLSHandshakeFailures,
	}[i]
}

// counterNames are the names All gives the counters' fields.
var counterNames = [numCounters]string{
	cAccepted:       "accepted",
	cDialed:         "dialed",
	cDialFailed:     "dial_failed",
	cClosedOrderly:  "closed_orderly",
	cClosedReset:    "closed_reset",
	cClosedTimeout:  "closed_timeout",
	cClosedStopped:  "closed_stopped",
	cClosedFailed:   "closed_failed",
	cOutputDropped:  "output_dropped",
	cBytesIn:        "bytes_in",
	cBytesOut:       "bytes_out",
	cReadTimeouts:   "read_timeouts",
	cWriteTimeouts:  "write_timeouts",
	cIdleTimeouts:   "idle_timeouts",
	cPaused:         "paused",
	cAcceptBackoffs: "accept_backoffs",
	cRingOverflows:  "ring_overflows",
	cTLSHandshakes:  "tls_handshakes",
	cTLSFailed:      "tls_handshake_failures",
}

// All yields every field as a snake_case name and its value, the same names
// in the same order each time, for exporters (expvar, Prometheus,
// OpenTelemetry): "open" is a gauge, every other field a counter.
func (s Stats) All() iter.Seq2[string, uint64] {
	return func(yield func(string, uint64) bool) {
		for i := range numCounters {
			if !yield(counterNames[i], *s.field(i)) {
				return
			}
			// The gauge follows the dials, beside the other connection counts.
			if i == cDialFailed && !yield("open", s.Open) {
				return
			}
		}
	}
}

// add sums o into s.
func (s *Stats) add(o Stats) {
	for i := range numCounters {
		*s.field(i) += *o.field(i)
	}
	s.Open += o.Open
}

// Stats returns the loop's counters as of the end of its latest turn; safe
// from any goroutine, and cheap: the loop publishes them once per turn.
func (l *Loop) Stats() Stats {
	var s Stats
	for i := range numCounters {
		*s.field(i) = l.published[i].Load()
	}
	s.Open = uint64(max(l.nconns.Load(), 0))
	return s
}

// Stats returns the sum of the loops' Stats; safe from any goroutine.
func (e *Engine) Stats() Stats {
	var s Stats
	for _, l := range e.loops {
		s.add(l.Stats())
	}
	return s
}

// count adds n to one of the loop's counters; the loop's goroutine only.
func (l *Loop) count(i counter, n uint64) { l.counts[i] += n }

// publish makes the loop's counters readable by other goroutines; it runs
// at the end of every turn, and stores only what changed, so that an idle
// turn costs a few loads.
func (l *Loop) publish() {
	l.counts[cRingOverflows] = poller.Overflows(l.poll)
	for i, v := range l.counts {
		if l.published[i].Load() != v {
			l.published[i].Store(v)
		}
	}
}

// countClose counts a stream connection's close by its reason.
func (l *Loop) countClose(neverOpened bool, err error) {
	if neverOpened {
		l.count(cDialFailed, 1)
		return
	}
	if err == nil {
		l.count(cClosedOrderly, 1) // before errors.As, whose target escapes
		return
	}
	var dropped *OutputDroppedError
	if errors.As(err, &dropped) {
		l.count(cOutputDropped, 1)
		err = dropped.Err
	}
	l.count(closeReason(err), 1)
}

// closeReason sorts a close's error into one of the Closed counters.
func closeReason(err error) counter {
	var timeout *timeoutError
	switch {
	case err == nil:
		return cClosedOrderly
	case errors.Is(err, ErrEngineStopped):
		return cClosedStopped
	case errors.As(err, &timeout):
		return cClosedTimeout
	case errors.Is(err, errConnReset), errors.Is(err, errPipe), errors.Is(err, errConnAborted):
		return cClosedReset
	}
	return cClosedFailed
}
