// Package http1 parses HTTP/1.1 requests from a codec.Reader and appends
// responses to a caller's buffer.
//
// Parser.Parse fills a caller-owned Request whose fields are views of the
// reader's buffer: parsing a request allocates nothing once the Request's
// reused slices have grown, and pipelined requests are read one after
// another, each reporting how many bytes to discard. Incomplete input
// returns codec.ErrIncomplete and consumes nothing. Bad input returns a
// *codec.Error whose Status is the response to send (400, 413, 431, 501 or
// 505) before closing the connection; see Status and AppendError.
//
// The parser follows RFC 9112 strictly where leniency enables request
// smuggling: it rejects a request with both Content-Length and
// Transfer-Encoding, conflicting Content-Length values, whitespace before a
// header's colon, and obsolete line folding.
package http1
