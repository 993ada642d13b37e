// Package resp decodes and encodes RESP, the Redis serialization protocol:
// RESP2's simple strings, errors, integers, bulk strings and arrays, the
// inline commands a person types into telnet, and the kinds RESP3 adds
// (null, boolean, double, big number, blob error, verbatim string, map,
// set, attribute, push). Inline commands are split on spaces and tabs;
// quoting as redis-cli's inline mode knows it is not interpreted.
//
// A Decoder reads commands (Decoder.Command) or any value (Decoder.Value)
// from a codec.Reader without copying: what it returns are views of the
// reader's buffer, valid until the caller discards the n bytes reported.
// A Decoder reuses its memory from call to call, so a server loop that
// decodes command after command does not allocate. A Decoder is not safe
// for concurrent use; give each connection (or each loop) its own.
//
// The Append functions encode replies and commands onto a caller's buffer.
package resp
