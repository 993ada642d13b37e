//go:build unix || windows

package conn

import "strconv"

// AIFlag is a set of AI_* flags for GetAddrInfo. The values are glibc's;
// the lookups themselves are done in Go, so they never reach libc.
type AIFlag int

// NIFlag is a set of NI_* flags for GetNameInfo (glibc's values).
type NIFlag int

// EAI is a getaddrinfo error code (glibc's values).
type EAI int

// GetAddrInfo flags.
const (
	AI_PASSIVE     AIFlag = 0x1
	AI_CANONNAME   AIFlag = 0x2
	AI_NUMERICHOST AIFlag = 0x4
	AI_V4MAPPED    AIFlag = 0x8
	AI_ALL         AIFlag = 0x10
	AI_ADDRCONFIG  AIFlag = 0x20
	AI_NUMERICSERV AIFlag = 0x400
)

// GetNameInfo flags.
const (
	NI_NUMERICHOST NIFlag = 1
	NI_NUMERICSERV NIFlag = 2
	NI_NOFQDN      NIFlag = 4
	NI_NAMEREQD    NIFlag = 8
	NI_DGRAM       NIFlag = 16
)

// getaddrinfo error codes.
const (
	EAI_BADFLAGS   EAI = -1
	EAI_NONAME     EAI = -2
	EAI_AGAIN      EAI = -3
	EAI_FAIL       EAI = -4
	EAI_NODATA     EAI = -5
	EAI_FAMILY     EAI = -6
	EAI_SOCKTYPE   EAI = -7
	EAI_SERVICE    EAI = -8
	EAI_ADDRFAMILY EAI = -9
	EAI_MEMORY     EAI = -10
	EAI_SYSTEM     EAI = -11
	EAI_OVERFLOW   EAI = -12
)

var eaiNames = map[EAI]string{
	EAI_BADFLAGS: "EAI_BADFLAGS", EAI_NONAME: "EAI_NONAME", EAI_AGAIN: "EAI_AGAIN", EAI_FAIL: "EAI_FAIL",
	EAI_NODATA: "EAI_NODATA", EAI_FAMILY: "EAI_FAMILY", EAI_SOCKTYPE: "EAI_SOCKTYPE", EAI_SERVICE: "EAI_SERVICE",
	EAI_ADDRFAMILY: "EAI_ADDRFAMILY", EAI_MEMORY: "EAI_MEMORY", EAI_SYSTEM: "EAI_SYSTEM", EAI_OVERFLOW: "EAI_OVERFLOW",
}

var eaiText = map[EAI]string{
	EAI_BADFLAGS: "Bad value for ai_flags", EAI_NONAME: "Name or service not known",
	EAI_AGAIN: "Temporary failure in name resolution", EAI_FAIL: "Non-recoverable failure in name resolution",
	EAI_NODATA: "No address associated with hostname", EAI_FAMILY: "ai_family not supported",
	EAI_SOCKTYPE: "ai_socktype not supported", EAI_SERVICE: "Servname not supported for ai_socktype",
	EAI_ADDRFAMILY: "Address family for hostname not supported", EAI_MEMORY: "Memory allocation failure",
	EAI_SYSTEM: "System error", EAI_OVERFLOW: "Argument buffer overflow",
}

// String returns the code's name, as "EAI_NONAME".
func (e EAI) String() string { return name(eaiNames, e, "EAI") }

// String returns the flags' names joined by "|".
func (f AIFlag) String() string {
	return flagString(int(f), []string{1: "AI_PASSIVE", 2: "AI_CANONNAME", 4: "AI_NUMERICHOST", 8: "AI_V4MAPPED",
		0x10: "AI_ALL", 0x20: "AI_ADDRCONFIG", 0x400: "AI_NUMERICSERV"})
}

// String returns the flags' names joined by "|".
func (f NIFlag) String() string {
	return flagString(int(f), []string{1: "NI_NUMERICHOST", 2: "NI_NUMERICSERV", 4: "NI_NOFQDN", 8: "NI_NAMEREQD", 16: "NI_DGRAM"})
}

func flagString(v int, names []string) string {
	if v == 0 {
		return "0"
	}
	out := ""
	for bit := 1; bit < len(names); bit <<= 1 {
		if v&bit != 0 && names[bit] != "" {
			if out != "" {
				out += "|"
			}
			out += names[bit]
			v &^= bit
		}
	}
	if v != 0 {
		if out != "" {
			out += "|"
		}
		out += "0x" + strconv.FormatInt(int64(v), 16)
	}
	return out
}

// GAIError is an address-lookup failure with its EAI code (Python's
// socket.gaierror).
type GAIError struct {
	Code EAI
	Name string // the host or service looked up
	Err  error  // the resolver's error, if any
}

// Error returns the code's text, as gai_strerror does, and the name.
func (e *GAIError) Error() string {
	s := "conn: [" + e.Code.String() + "] " + eaiText[e.Code]
	if e.Name != "" {
		s += ": " + e.Name
	}
	return s
}

// Unwrap returns the resolver's error.
func (e *GAIError) Unwrap() error { return e.Err }

// Timeout reports whether the lookup timed out.
func (e *GAIError) Timeout() bool { return e.Code == EAI_AGAIN }

// Temporary reports whether trying again may help.
func (e *GAIError) Temporary() bool { return e.Code == EAI_AGAIN }

// HostError is a host-lookup failure (Python's socket.herror) with an
// h_errno code; service and protocol lookups fail with a *NetDBError.
type HostError struct {
	Code int // HOST_NOT_FOUND, TRY_AGAIN, NO_RECOVERY, NO_DATA
	Name string
	Err  error
}

// h_errno values.
const (
	HOST_NOT_FOUND = 1
	TRY_AGAIN      = 2
	NO_RECOVERY    = 3
	NO_DATA        = 4
)

// Error returns the h_errno text and the name.
func (e *HostError) Error() string {
	text := map[int]string{HOST_NOT_FOUND: "Unknown host", TRY_AGAIN: "Host name lookup failure",
		NO_RECOVERY: "Unknown server error", NO_DATA: "No address associated with name"}[e.Code]
	return "conn: [herror " + strconv.Itoa(e.Code) + "] " + text + ": " + e.Name
}

// Unwrap returns the resolver's error.
func (e *HostError) Unwrap() error { return e.Err }

// NetDBError is a service or protocol lookup that found nothing
// (GetServByName, GetServByPort, GetProtoByName), as CPython's OSError from
// getservbyname, getservbyport and getprotobyname, which carries no errno.
// Err is the error that kept the database from being read, if any.
type NetDBError struct {
	Op     string // "getservbyname", "getservbyport", "getprotobyname"
	Name   string // what was looked up, as "http/udp"
	Reason string // CPython's words, as "service/proto not found"
	Err    error
}

// Error returns the call, CPython's reason and what was looked up.
func (e *NetDBError) Error() string {
	s := "conn: " + e.Op + ": " + e.Reason + ": " + e.Name
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

// Unwrap returns the error reading the database, if any.
func (e *NetDBError) Unwrap() error { return e.Err }
