//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package ancillary

// Internals for the external tests.
const (
	HdrLen    = hdrLen
	CmsgAlign = cmsgAlign
)

// SetCloseFD replaces the close hook until the returned restore is called.
func SetCloseFD(f func(int) error) (restore func()) {
	old := closeFD
	closeFD = f
	return func() { closeFD = old }
}
