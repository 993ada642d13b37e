package main

import (
	"hash/maphash"
	"math"
	"strconv"
	"sync"

	"github.com/sockloop/sockloop/codec/resp"
)

// nshards spreads the key space over this many locks, so that loops on
// different cores rarely wait for each other.
const nshards = 256

// store is the key space every loop shares: a map per shard, each behind its
// own lock. Values live in entries whose memory SET and INCR reuse, so
// overwriting an existing key allocates nothing.
type store struct {
	seed   maphash.Seed
	shards [nshards]shard
}

type shard struct {
	mu sync.RWMutex
	m  map[string]*entry
	_  [40]byte // keep neighbouring shards' locks off one cache line
}

type entry struct{ val []byte }

func newStore() *store {
	s := &store{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = make(map[string]*entry)
	}
	return s
}

func (s *store) shard(key []byte) *shard {
	return &s.shards[maphash.Bytes(s.seed, key)%nshards]
}

// get appends the value of key as a bulk string, or the null bulk string.
func (s *store) get(out, key []byte) []byte {
	sh := s.shard(key)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	if e, ok := sh.m[string(key)]; ok {
		return resp.AppendBulk(out, e.val)
	}
	return resp.AppendNull(out)
}

func (s *store) set(key, val []byte) {
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if e, ok := sh.m[string(key)]; ok {
		e.val = append(e.val[:0], val...)
		return
	}
	sh.m[string(key)] = &entry{val: append([]byte(nil), val...)}
}

// count counts the keys that exist, deleting them when del is set.
func (s *store) count(keys [][]byte, del bool) int64 {
	var n int64
	for _, k := range keys {
		sh := s.shard(k)
		if del {
			sh.mu.Lock()
			if _, ok := sh.m[string(k)]; ok {
				delete(sh.m, string(k))
				n++
			}
			sh.mu.Unlock()
		} else {
			sh.mu.RLock()
			if _, ok := sh.m[string(k)]; ok {
				n++
			}
			sh.mu.RUnlock()
		}
	}
	return n
}

// incr adds one to the integer stored at key (0 if missing) and appends the
// result, or Redis's error when the value is not an integer.
func (s *store) incr(out, key []byte) []byte {
	sh := s.shard(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.m[string(key)]
	var n int64
	if ok {
		v, valid := parseInt(e.val)
		if !valid {
			return resp.AppendError(out, "ERR value is not an integer or out of range")
		}
		if v == math.MaxInt64 {
			return resp.AppendError(out, "ERR increment or decrement would overflow")
		}
		n = v + 1
		e.val = strconv.AppendInt(e.val[:0], n, 10)
	} else {
		n = 1
		sh.m[string(key)] = &entry{val: []byte("1")}
	}
	return resp.AppendInt(out, n)
}

// parseInt parses b as Redis's string2ll does: decimal, an optional minus
// sign, no leading zeros or plus sign, no spaces, within int64.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	neg := b[0] == '-'
	d := b
	if neg {
		d = b[1:]
	}
	if len(d) == 0 || (d[0] == '0' && len(b) != 1) {
		return 0, false
	}
	var u uint64
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
		if u > (math.MaxUint64-9)/10 {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	if neg {
		if u > 1<<63 {
			return 0, false
		}
		return -int64(u), true
	}
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}
