/* Minimal HTTP/1.1 plaintext server, the floor: a request ends at the first
 * blank line; every complete request buffered gets the fixed response (Date
 * refreshed once a second), all of one read's responses in one write. */
#include "common.h"
#include <time.h>

static char *pending[MAXFD]; /* a partial request carried to the next read */
static int pendlen[MAXFD];
static __thread char resp[256];
static __thread int resplen;
static __thread time_t dated;
static __thread char out[BUFSZ * 8];

static int serve(int fd, char *buf) {
	int have = pendlen[fd];
	if (have)
		memcpy(buf, pending[fd], have);
	ssize_t n = read(fd, buf + have, BUFSZ - have);
	if (n <= 0)
		return (n < 0 && errno == EAGAIN) ? 0 : (pendlen[fd] = 0, -1);
	n += have;
	time_t now = time(NULL);
	if (now != dated) {
		char date[40];
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		resplen = sprintf(resp, "HTTP/1.1 200 OK\r\nServer: C\r\nContent-Type: text/plain; charset=utf-8\r\nDate: %s\r\nContent-Length: 13\r\n\r\nHello, World!", date);
		dated = now;
	}
	int used = 0, olen = 0;
	char *e;
	while ((e = memmem(buf + used, n - used, "\r\n\r\n", 4)) != NULL) {
		used = e - buf + 4;
		memcpy(out + olen, resp, resplen);
		olen += resplen;
	}
	pendlen[fd] = n - used;
	if (pendlen[fd]) {
		if (!pending[fd])
			pending[fd] = malloc(BUFSZ);
		memcpy(pending[fd], buf + used, pendlen[fd]);
	}
	for (int off = 0; off < olen;) {
		ssize_t w = write(fd, out + off, olen - off);
		if (w < 0 && errno != EAGAIN)
			return -1;
		if (w > 0)
			off += w;
	}
	return 0;
}
