// Package bench measures sockloop against the standard library's net package
// on the same machine, in the same run, under the same load generator.
//
// The load generator is [Client] (Linux only): one goroutine driving many
// non-blocking TCP connections through an epoll poller, so that the client is
// not what saturates first. It checks every echoed byte against a per
// connection pattern and allocates nothing per message, so the allocations a
// benchmark reports are the server's.
//
// Beside the echo, it measures pipelined HTTP plaintext ([HTTPClient]),
// connection set-up, UDP datagram echo and the socket object's receive
// calls. Run them all with
//
//	go test -run XXX -bench . -benchmem ./bench/
//
// and see README.md for how to compare servers with benchstat.
package bench
