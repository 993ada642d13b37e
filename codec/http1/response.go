package http1

import (
	"strconv"
	"time"
)

// AppendStatusLine appends "HTTP/1.1 <status> <reason>\r\n".
func AppendStatusLine(dst []byte, status int) []byte {
	dst = append(dst, "HTTP/1.1 "...)
	dst = strconv.AppendInt(dst, int64(status), 10)
	dst = append(dst, ' ')
	dst = append(dst, StatusText(status)...)
	return append(dst, '\r', '\n')
}

// AppendHeader appends "name: value\r\n"; neither may hold CR or LF.
func AppendHeader(dst []byte, name, value string) []byte {
	dst = append(dst, name...)
	dst = append(dst, ':', ' ')
	dst = append(dst, value...)
	return append(dst, '\r', '\n')
}

// AppendResponse appends a whole response: the status line, Date when date
// is not empty (see AppendDate), Content-Type when contentType is not
// empty, Content-Length, the extra fields, an empty line, and body. It does
// not allocate when dst has room.
func AppendResponse(dst []byte, status int, date []byte, contentType string, body []byte, extra ...Header) []byte {
	dst = AppendStatusLine(dst, status)
	if len(date) > 0 {
		dst = append(dst, "Date: "...)
		dst = append(dst, date...)
		dst = append(dst, '\r', '\n')
	}
	if contentType != "" {
		dst = AppendHeader(dst, "Content-Type", contentType)
	}
	dst = append(dst, "Content-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, '\r', '\n')
	for _, h := range extra {
		dst = append(dst, h.Name...)
		dst = append(dst, ':', ' ')
		dst = append(dst, h.Value...)
		dst = append(dst, '\r', '\n')
	}
	dst = append(dst, '\r', '\n')
	return append(dst, body...)
}

// AppendError appends the response for a Parse error: its Status (see
// Status), "Connection: close", and the reason as a plain-text body. Send
// it, then close the connection.
func AppendError(dst []byte, err error) []byte {
	status := Status(err)
	if status == 0 {
		status = 400
	}
	body := StatusText(status)
	dst = AppendStatusLine(dst, status)
	dst = append(dst, "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)+1), 10)
	dst = append(dst, "\r\n\r\n"...)
	dst = append(dst, body...)
	return append(dst, '\n')
}

// TimeFormat is the HTTP date format (IMF-fixdate), always in UTC.
const TimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

// AppendDate appends t in TimeFormat. A server formats the date once a
// second and reuses the bytes for every response.
func AppendDate(dst []byte, t time.Time) []byte {
	return t.UTC().AppendFormat(dst, TimeFormat)
}

// StatusText returns the reason phrase for the common status codes, and
// "Status" for the others.
func StatusText(status int) string {
	switch status {
	case 100:
		return "Continue"
	case 101:
		return "Switching Protocols"
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 202:
		return "Accepted"
	case 204:
		return "No Content"
	case 206:
		return "Partial Content"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 304:
		return "Not Modified"
	case 307:
		return "Temporary Redirect"
	case 308:
		return "Permanent Redirect"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 408:
		return "Request Timeout"
	case 411:
		return "Length Required"
	case 413:
		return "Content Too Large"
	case 414:
		return "URI Too Long"
	case 417:
		return "Expectation Failed"
	case 426:
		return "Upgrade Required"
	case 429:
		return "Too Many Requests"
	case 431:
		return "Request Header Fields Too Large"
	case 500:
		return "Internal Server Error"
	case 501:
		return "Not Implemented"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	case 505:
		return "HTTP Version Not Supported"
	}
	return "Status"
}
