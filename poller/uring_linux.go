package poller

// newURing is the io_uring backend; it is being written (issue 9).
func newURing(Options) (Poller, error) { return nil, unsupported(IOURing, "not built yet") }
