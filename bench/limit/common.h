/* The floor's shared part: one listening socket per thread (SO_REUSEPORT),
 * one level-triggered epoll loop per thread, non-blocking accepted sockets
 * with TCP_NODELAY. serve() is what echo.c and http.c define. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXFD 65536
#define BUFSZ 65536

/* serve handles readable data on fd; returns -1 to close it. */
static int serve(int fd, char *buf);

static struct sockaddr_in addr;

static int listener(void) {
	int one = 1, ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(ls, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
	if (bind(ls, (struct sockaddr *)&addr, sizeof addr) || listen(ls, 4096)) {
		perror("listen");
		exit(1);
	}
	return ls;
}

static void *loop(void *arg) {
	(void)arg;
	int ls = listener(), ep = epoll_create1(0), one = 1;
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls}, evs[512];
	char *buf = malloc(BUFSZ);
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 512, -1);
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == ls) {
				int c;
				while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
					ev.events = EPOLLIN;
					ev.data.fd = c;
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				}
			} else if (serve(fd, buf) < 0) {
				close(fd); /* also leaves the epoll set */
			}
		}
	}
	return NULL;
}

/* usage: PROG HOST PORT THREADS */
int main(int argc, char **argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: %s HOST PORT THREADS\n", argv[0]);
		return 2;
	}
	addr.sin_family = AF_INET;
	addr.sin_port = htons(atoi(argv[2]));
	inet_pton(AF_INET, argv[1], &addr.sin_addr);
	int t = atoi(argv[3]);
	pthread_t th;
	for (int i = 1; i < t; i++)
		pthread_create(&th, NULL, loop, NULL);
	loop(NULL);
}
