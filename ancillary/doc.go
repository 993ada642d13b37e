// Package ancillary builds and parses socket control messages (the
// ancillary data of sendmsg(2) and recvmsg(2)) without allocating.
//
// # Sizes
//
// Len and Space are the platform's CMSG_LEN and CMSG_SPACE, computed from
// the size and alignment of its struct cmsghdr; out-of-range lengths are a
// *SizeError, never a wrapped-around value.
//
// # Building
//
// The Append functions add one message each to the caller's slice, in the
// style of strconv.AppendInt: when the slice has capacity for
// Space(len(data)) more bytes nothing is allocated. Padding bytes are zeroed.
//
// # Parsing
//
// Parser and Messages walk received control data and yield Message values
// whose Data aliases the buffer. Malformed data (a length shorter than the
// header, or one running past the buffer) ends the walk with a *ParseError;
// the parser never panics and never reads outside the buffer. The Message
// methods (Rights, Credentials, Inet4PacketInfo, Inet6PacketInfo, Timestamp,
// GROSegmentSize, TOS, TTL, HopLimit, TrafficClass) decode one message and
// return a *DecodeError for a message of another kind or of the wrong size.
//
// ReceivedOn and AppendSource (Linux and macOS) carry a datagram's local
// address from its IP_PKTINFO / IPV6_PKTINFO message to the reply, so a
// server bound to a wildcard address answers from the address the peer used.
//
// # Descriptors and truncation
//
// Every fd carried by an SCM_RIGHTS message is open in the receiving process
// as soon as recvmsg returns, so control data must never be dropped unread.
// TakeRights hands the caller the fds it asked for and closes all others;
// CloseRights closes every one. Receive with MSG_CMSG_CLOEXEC where the
// system has it, so passed fds are not inherited by children.
//
// When the control buffer is too small the kernel sets MSG_CTRUNC, and the
// systems differ in what happens to the descriptors that did not fit:
//
//   - Linux installs only the fds whose slots fit in the buffer and discards
//     the rest before they reach the process; the truncated SCM_RIGHTS
//     message's length is rewritten to cover just the installed fds.
//     Sending 3 fds to a buffer of Len(4) bytes yields one message with
//     4 data bytes and exactly one new fd; a buffer of 0 bytes yields no
//     message and no fd. Nothing leaks, but the lost fds are gone.
//   - macOS installs every fd first and then copies as much of the control
//     data as fits, so the last message may claim a length beyond the
//     buffer, and fds whose slots fall outside the buffer stay open under
//     numbers the receiver never sees. A receiver there must size its
//     buffer for the largest message it accepts (Space(4*n) for n fds) and
//     close every fd it can see but does not return: TakeRights and
//     CloseRights accept a final SCM_RIGHTS message cut short when
//     MSG_CTRUNC is set, and close the whole fds it holds.
//
// On systems other than Linux, macOS and the BSDs only the error values are
// available.
package ancillary
