//go:build !linux

package loop

import (
	"errors"

	"github.com/sockloop/sockloop/internal/buffer"
)

type bufferSpan = buffer.FileSpan

const (
	pipeCapacity     = 64 << 10
	bulkPipeCapacity = 1 << 20
)

// sysPipe reports that splice(2) is Linux's alone: Splice fails cleanly and
// Relay keeps copying.
func sysPipe() (r, w int, capacity int64, err error) { return -1, -1, 0, errors.ErrUnsupported }

func growPipe(fd int, had int64) int64 { return had }

func shrinkPipe(fd int) error { return errors.ErrUnsupported }

func sysSplice(in, out, n int) (int64, error) { return 0, errors.ErrUnsupported }
