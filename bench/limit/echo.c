/* Minimal epoll echo server, the floor: read what is there, write it back.
 * Small echoes always fit the socket buffer; a short write is finished with
 * a blocking-free retry loop, which never triggers in these workloads. */
#include "common.h"

static int serve(int fd, char *buf) {
	ssize_t n = read(fd, buf, BUFSZ);
	if (n <= 0)
		return (n < 0 && errno == EAGAIN) ? 0 : -1;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(fd, buf + off, n - off);
		if (w < 0 && errno != EAGAIN)
			return -1;
		if (w > 0)
			off += w;
	}
	return 0;
}
