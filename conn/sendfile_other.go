//go:build unix && !linux && !darwin && !freebsd

package conn

import "os"

// sendFile leaves every call to the portable path here.
func (s *Socket) sendFile(*os.File, int64, int64) (int64, error, bool) { return 0, nil, false }
