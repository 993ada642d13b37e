package backendflag

import "github.com/sockloop/sockloop/poller"

const (
	defaultName = string(poller.Epoll)
	usage       = "poller backend: epoll or io_uring (epoll where the kernel refuses io_uring)"
	choiceNames = "epoll or io_uring"
)

var choices = []poller.Backend{poller.Epoll, poller.IOURing}
