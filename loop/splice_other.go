//go:build !linux

package loop

import (
	"errors"

	"github.com/sockloop/sockloop/internal/buffer"
)

type bufferSpan = buffer.FileSpan

const pipeCapacity = 64 << 10

// sysPipe reports that splice(2) is Linux's alone, so Splice fails cleanly.
func sysPipe() (r, w int, err error) { return -1, -1, errors.ErrUnsupported }

func sysSplice(in, out, n int) (int64, error) { return 0, errors.ErrUnsupported }
