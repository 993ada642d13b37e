package ancillary

import "golang.org/x/sys/unix"

// Credentials are the Unix credentials of an SCM_CREDENTIALS message
// (struct ucred).
type Credentials struct {
	PID int32
	UID uint32
	GID uint32
}

// AppendCredentials appends an SCM_CREDENTIALS message carrying c to b and
// returns the extended slice; it allocates only when b lacks Space(12) bytes
// of capacity. The kernel accepts only the sender's own ids unless it has
// CAP_SYS_ADMIN (pid) or CAP_SETUID / CAP_SETGID (uid, gid); a receiver
// sees credentials only with SO_PASSCRED set.
func AppendCredentials(b []byte, c Credentials) []byte {
	u := unix.Ucred{Pid: c.PID, Uid: c.UID, Gid: c.GID}
	b, d := appendHeader(b, unix.SOL_SOCKET, unix.SCM_CREDENTIALS, unix.SizeofUcred)
	copy(d, bytesOf(&u))
	return b
}

// Credentials decodes an SCM_CREDENTIALS message. It returns a
// *DecodeError for another kind of message or data of the wrong size.
func (m Message) Credentials() (Credentials, error) {
	if err := m.expect("Credentials", unix.SOL_SOCKET, unix.SCM_CREDENTIALS, unix.SizeofUcred, unix.SizeofUcred); err != nil {
		return Credentials{}, err
	}
	var u unix.Ucred
	readInto(&u, m.Data) // expect checked the size
	return Credentials{PID: u.Pid, UID: u.Uid, GID: u.Gid}, nil
}
