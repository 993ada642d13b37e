// Package sockopt reads and sets socket options on a raw descriptor.
//
// Every option the framework uses has a typed getter and setter pair
// (SetNoDelay / NoDelay, SetKeepAliveIdle / KeepAliveIdle, ...), and the raw
// forms GetInt, SetInt, GetBytes, GetInto, SetBytes and SetNil reach any
// option by level and number, as Python's socket.getsockopt and
// socket.setsockopt do (SetNil is the setsockopt(level, opt, None, optlen)
// form).
//
// Errors are *Error values naming the option; they wrap the
// *os.SyscallError of the failed call, so errors.Is(err, unix.EINVAL) works.
// Where the platform lacks an option the call returns an *Error for which
// errors.Is(err, errors.ErrUnsupported) is true, without a system call.
//
// The package covers Linux, Darwin and the BSDs (FreeBSD, NetBSD, OpenBSD,
// DragonFly); each option's doc comment names the systems it is limited to.
// On other systems, Windows included, it holds only the Error type.
//
// The functions take a descriptor the caller owns and keep no state; they are
// safe for concurrent use as far as the kernel's option handling is.
package sockopt
