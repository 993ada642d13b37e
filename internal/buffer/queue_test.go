package buffer

import (
	"bytes"
	"errors"
	"testing"
	"unsafe"
)

func gather(q *Queue) []byte {
	var out []byte
	for _, b := range q.Gather(nil, 1<<20) {
		out = append(out, b...)
	}
	return out
}

func TestQueueKeepsOrderAcrossOwners(t *testing.T) {
	var q Queue
	borrowed := []byte("borrowed ")
	var lentDone []error
	q.Borrow(borrowed)
	q.Copy([]byte("copied "))
	q.Copy([]byte("and more "))
	q.Lend([]byte("lent"), func(err error) { lentDone = append(lentDone, err) })
	if got, want := string(gather(&q)), "borrowed copied and more lent"; got != want {
		t.Fatalf("queued %q, want %q", got, want)
	}
	if q.Len() != len("borrowed copied and more lent") {
		t.Fatalf("Len = %d", q.Len())
	}
	// Two copies share one pooled segment.
	if n := len(q.Gather(nil, 100)); n != 3 {
		t.Fatalf("%d segments, want 3 (borrowed, copied+more, lent)", n)
	}
	q.Detach()
	copy(borrowed, "XXXXXXXXX") // the caller reuses its buffer after Detach
	if got := string(gather(&q)); got != "borrowed copied and more lent" {
		t.Fatalf("after Detach and reuse of the borrowed slice: %q", got)
	}
	q.Advance(len("borrowed copied and more le"))
	if got := string(gather(&q)); got != "nt" || lentDone != nil {
		t.Fatalf("after a partial advance: %q, done %v", got, lentDone)
	}
	q.Advance(2)
	if !q.Empty() || len(lentDone) != 1 || lentDone[0] != nil {
		t.Fatalf("after draining: empty %v, done %v", q.Empty(), lentDone)
	}
}

func TestQueueResetReportsDrop(t *testing.T) {
	var q Queue
	var got error
	q.Copy([]byte("x"))
	q.Lend([]byte("y"), func(err error) { got = err })
	drop := errors.New("dropped")
	q.Reset(drop)
	if got != drop || !q.Empty() || q.Len() != 0 {
		t.Fatalf("Reset: done got %v, empty %v", got, q.Empty())
	}
}

func TestQueueGatherLimitAndLongQueues(t *testing.T) {
	var q Queue
	var want []byte
	for i := range 5000 {
		b := []byte{byte(i), byte(i >> 8)}
		want = append(want, b...)
		q.Borrow(b)
	}
	if n := len(q.Gather(nil, 1024)); n != 1024 {
		t.Fatalf("Gather with max 1024 returned %d slices", n)
	}
	var got []byte
	for !q.Empty() {
		bufs := q.Gather(nil, 1024)
		n := 0
		for _, b := range bufs[:len(bufs)/2+1] {
			got = append(got, b...)
			n += len(b)
		}
		q.Advance(n)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("bytes came out of the queue in a different order")
	}
}

func TestInboundSpareKeepsTail(t *testing.T) {
	var in Inbound
	stored := in.Keep([]byte("0123456789"))
	rest := stored[6:] // the handler consumed six bytes
	free, moved := in.Spare(rest, 16)
	if string(moved) != "6789" || len(free) < 16 {
		t.Fatalf("Spare: moved %q, %d free", moved, len(free))
	}
	copy(free, "abc")
	if got := string(in.Extend(moved, 3)); got != "6789abc" {
		t.Fatalf("Extend: %q", got)
	}
	in.Release()
	if !in.Empty() {
		t.Fatal("Release left memory")
	}
}

// TestInboundSpareMovesRarely holds 4 MiB that arrive in 16 KiB pieces and
// are never consumed: each arrival must not copy everything held before it.
func TestInboundSpareMovesRarely(t *testing.T) {
	var in Inbound
	defer in.Release()
	piece := bytes.Repeat([]byte{'x'}, 16<<10)
	held := in.Keep(piece)
	moves := 0
	for len(held) < 4<<20 {
		free, moved := in.Spare(held, len(piece))
		if unsafe.SliceData(moved) != unsafe.SliceData(held) {
			moves++
		}
		held = in.Extend(moved, copy(free, piece))
	}
	// Doubling from 16 KiB to 4 MiB: eight moves, one for each growth.
	if moves > 9 {
		t.Fatalf("the held bytes moved %d times while growing to 4 MiB; want at most 9", moves)
	}
	if len(held) != 4<<20 || bytes.Count(held, []byte{'x'}) != len(held) {
		t.Fatalf("held %d bytes, not the 4 MiB of x that arrived", len(held))
	}
}

func BenchmarkQueueBorrowGatherAdvance(b *testing.B) {
	b.Run("no cache", func(b *testing.B) { benchmarkBorrowGatherAdvance(b, nil) })
	b.Run("cache", func(b *testing.B) { benchmarkBorrowGatherAdvance(b, new(SegCache)) })
}

func benchmarkBorrowGatherAdvance(b *testing.B, cache *SegCache) {
	var q Queue
	q.UseCache(cache)
	msg := make([]byte, 64)
	dst := make([][]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		q.Borrow(msg)
		q.Borrow(msg)
		dst = q.Gather(dst[:0], 1024)
		q.Advance(q.Len())
	}
}

func TestQueueCopyFront(t *testing.T) {
	var q Queue
	q.Copy([]byte("world"))
	q.CopyFront([]byte("hello "))
	if got := string(gather(&q)); got != "hello world" {
		t.Fatalf("after CopyFront: %q", got)
	}
	q.Advance(2)
	q.CopyFront([]byte(">> "))
	if got := string(gather(&q)); got != ">> llo world" || q.Len() != len(">> llo world") {
		t.Fatalf("CopyFront after a partial advance: %q, Len %d", got, q.Len())
	}
}

func TestQueuePipeSpansJoin(t *testing.T) {
	var q Queue
	q.Copy([]byte("head"))
	q.Pipe(7, 10)
	q.Pipe(7, 5)
	q.Pipe(8, 1)
	if q.Len() != 4+15+1 {
		t.Fatalf("Len = %d", q.Len())
	}
	if got := q.Gather(nil, 10); len(got) != 1 || string(got[0]) != "head" {
		t.Fatalf("Gather crossed a pipe span: %q", got)
	}
	q.Advance(4)
	span := q.HeadFile()
	if span == nil || !span.Pipe || span.Fd != 7 || span.Remaining != 15 {
		t.Fatalf("head span %+v, want pipe 7 with 15 bytes", span)
	}
	q.AdvanceFile(15)
	if span := q.HeadFile(); span == nil || span.Fd != 8 {
		t.Fatalf("after the first pipe: %+v", span)
	}
}

// A queue with a cache holds no segments once drained, by writing or by
// Reset, and the next output reuses the array it gave back.
func TestQueueGivesSegmentsBackWhenDrained(t *testing.T) {
	var cache SegCache
	var q Queue
	q.UseCache(&cache)
	for round := range 3 {
		q.Borrow([]byte("a"))
		q.Copy([]byte("b"))
		if q.segs == nil || len(cache.free) != 0 {
			t.Fatalf("round %d: queue with output holds %v, cache %d", round, q.segs, len(cache.free))
		}
		if round == 1 {
			q.Reset(nil)
		} else {
			q.Advance(1)
			q.Advance(1)
		}
		if q.segs != nil || len(cache.free) != 1 {
			t.Fatalf("round %d: drained queue holds %d segments, cache %d", round, cap(q.segs), len(cache.free))
		}
		for _, s := range cache.free[0] {
			if s.b != nil || s.pooled != nil {
				t.Fatalf("round %d: cached array still refers to %q", round, s.b)
			}
		}
	}
	x := []byte("x")
	if n := testing.AllocsPerRun(100, func() { q.Borrow(x); q.Advance(1) }); n != 0 {
		t.Fatalf("%v allocations per output cycle with a warm cache, want 0", n)
	}
	// A queue that outgrew the array keeps its slice: it is busy.
	for range 2 * pooledSegs {
		q.Borrow([]byte("y"))
	}
	q.Advance(q.Len())
	if q.segs == nil || len(cache.free) != 0 {
		t.Fatalf("grown queue after draining: holds %v, cache %d", q.segs != nil, len(cache.free))
	}
}

// TestThenRunsOnceWhatCameBeforeIsWritten: Then's callback waits for the
// bytes queued before it, not those after, reports a drop's reason, and
// runs at once on an empty queue.
func TestThenRunsOnceWhatCameBeforeIsWritten(t *testing.T) {
	var q Queue
	var got []error
	q.Then(func(err error) { got = append(got, err) })
	if len(got) != 1 || got[0] != nil {
		t.Fatalf("Then on an empty queue: %v, want one nil at once", got)
	}
	got = nil
	q.Copy([]byte("abc"))
	q.Then(func(err error) { got = append(got, err) })
	q.Then(func(err error) { got = append(got, err) })
	q.Copy([]byte("def")) // after the callbacks: must not delay them
	q.Advance(2)
	if len(got) != 0 {
		t.Fatalf("ran with 1 of 3 bytes still queued: %v", got)
	}
	q.Advance(1)
	if len(got) != 2 || got[0] != nil || got[1] != nil {
		t.Fatalf("after the bytes before it: %v, want two nils", got)
	}
	got = nil
	q.Then(func(err error) { got = append(got, err) })
	dropped := errors.New("dropped")
	q.Reset(dropped)
	if len(got) != 1 || got[0] != dropped {
		t.Fatalf("after a drop: %v, want %v", got, dropped)
	}
}
