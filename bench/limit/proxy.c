/* Minimal epoll TCP proxy, the floor: per client a non-blocking connect to
 * the upstream, then each direction read into its own 64 KiB buffer and
 * written on at once. A short write keeps the rest, stops reading that
 * direction's source and waits for EPOLLOUT on its destination. A read of 0
 * is passed on as shutdown(SHUT_WR) (nothing is ever pending then: a
 * direction with bytes pending is not read); both directions ended, or an
 * error on either side, closes both.
 *
 * The listener, threads and main are those of common.h, which this cannot
 * include: its loop dispatches by fd to serve(), a proxy's events name a
 * connection's side. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ 65536

struct side {
	int fd;
	unsigned mask; /* the events registered, when reg */
	char reg;      /* in the epoll set */
	char i;        /* 0: the client, 1: the upstream */
};

/* dir[i]: the bytes from side i to side 1-i. */
struct dir {
	unsigned off, len; /* buf[off:len] is waiting for the destination */
	char blocked;      /* waiting for EPOLLOUT on the destination */
	char eof;          /* the source read 0 and the destination is shut */
};

struct conn {
	struct side s[2];
	struct dir d[2];
	struct conn *next; /* on the free or the dead list */
	char dead;
	char buf[2][BUFSZ];
};

static struct sockaddr_in addr, upaddr;

static int listener(void) {
	int one = 1, ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	setsockopt(ls, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
	setsockopt(ls, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); /* accepted sockets inherit it */
	if (bind(ls, (struct sockaddr *)&addr, sizeof addr) || listen(ls, 4096)) {
		perror("listen");
		exit(1);
	}
	return ls;
}

static __thread int ep;
static __thread struct conn *freel, *deadl;

static struct conn *conn_of(struct side *s) { return (struct conn *)(s - s->i); }

/* arm registers side i's events as its directions want them: EPOLLIN while
 * it is read from, EPOLLOUT while bytes wait for it. A side that wants none
 * and is not yet in the set stays out (errors surface once it is added). */
static void arm(struct conn *c, int i) {
	struct side *s = &c->s[i];
	unsigned m = (!c->d[i].blocked && !c->d[i].eof ? EPOLLIN : 0) | (c->d[1 - i].blocked ? EPOLLOUT : 0);
	if (s->reg && m == s->mask)
		return;
	if (!s->reg && !m)
		return;
	struct epoll_event ev = {.events = m, .data.ptr = s};
	epoll_ctl(ep, s->reg ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s->fd, &ev);
	s->reg = 1;
	s->mask = m;
}

/* drop closes both sides (close leaves the epoll set); the conn is reused
 * once the batch of events that may still name it is over. */
static void drop(struct conn *c) {
	close(c->s[0].fd);
	close(c->s[1].fd);
	c->dead = 1;
	c->next = deadl;
	deadl = c;
}

/* flush writes direction i's pending bytes; -1 on an error. */
static int flush(struct conn *c, int i) {
	struct dir *d = &c->d[i];
	if (d->len > d->off) {
		ssize_t w = write(c->s[1 - i].fd, c->buf[i] + d->off, d->len - d->off);
		if (w < 0)
			return errno == EAGAIN ? 0 : -1;
		d->off += w;
		if (d->off < d->len)
			return 0;
	}
	d->blocked = 0;
	return 0;
}

/* relay reads side i once and writes what came on; -1 to close both. */
static int relay(struct conn *c, int i) {
	struct dir *d = &c->d[i];
	ssize_t n = read(c->s[i].fd, c->buf[i], BUFSZ);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	if (n == 0) {
		d->eof = 1;
		if (c->d[1 - i].eof)
			return -1; /* both directions ended */
		shutdown(c->s[1 - i].fd, SHUT_WR);
		return 0;
	}
	ssize_t w = write(c->s[1 - i].fd, c->buf[i], n);
	if (w == n)
		return 0;
	if (w < 0 && errno != EAGAIN)
		return -1;
	d->off = w < 0 ? 0 : w;
	d->len = n;
	d->blocked = 1;
	return 0;
}

static void event(struct side *s, unsigned ev) {
	struct conn *c = conn_of(s);
	int i = s->i;
	if (c->dead)
		return;
	if (ev & EPOLLERR)
		goto fail;
	if ((ev & EPOLLOUT) && c->d[1 - i].blocked && flush(c, 1 - i) < 0)
		goto fail;
	if ((ev & (EPOLLIN | EPOLLHUP)) && !c->d[i].blocked && !c->d[i].eof && relay(c, i) < 0)
		goto fail;
	arm(c, 0);
	arm(c, 1);
	/* Hung up (both ways shut) with nothing wanted, as when the other
	 * side's direction is blocked: out of the set until that clears, or
	 * level-triggered EPOLLHUP would spin. */
	if ((ev & EPOLLHUP) && s->reg && !s->mask) {
		epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
		s->reg = 0;
	}
	return;
fail:
	drop(c);
}

static void accepted(int fd) {
	struct conn *c = freel;
	if (c)
		freel = c->next;
	else if (!(c = malloc(sizeof *c))) {
		close(fd);
		return;
	}
	int one = 1, u = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (u < 0) {
		close(fd);
		c->next = freel;
		freel = c;
		return;
	}
	setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	memset(c, 0, offsetof(struct conn, buf));
	c->s[0].fd = fd;
	c->s[1].fd = u;
	c->s[1].i = 1;
	if (connect(u, (struct sockaddr *)&upaddr, sizeof upaddr) < 0) {
		if (errno != EINPROGRESS) {
			drop(c);
			return;
		}
		c->d[0].blocked = 1; /* the client is read once the upstream is writable */
	}
	arm(c, 1);
	arm(c, 0);
}

static void *loop(void *arg) {
	(void)arg;
	int ls = listener();
	ep = epoll_create1(0);
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, evs[512];
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 512, -1);
		for (int k = 0; k < n; k++) {
			if (!evs[k].data.ptr) {
				int fd;
				while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0)
					accepted(fd);
			} else {
				event(evs[k].data.ptr, evs[k].events);
			}
		}
		while (deadl) {
			struct conn *c = deadl;
			deadl = c->next;
			c->next = freel;
			freel = c;
		}
	}
	return NULL;
}

/* usage: proxy LISTEN_HOST LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT THREADS */
int main(int argc, char **argv) {
	if (argc != 6) {
		fprintf(stderr, "usage: %s LISTEN_HOST LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT THREADS\n", argv[0]);
		return 2;
	}
	addr.sin_family = upaddr.sin_family = AF_INET;
	addr.sin_port = htons(atoi(argv[2]));
	upaddr.sin_port = htons(atoi(argv[4]));
	if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1 || inet_pton(AF_INET, argv[3], &upaddr.sin_addr) != 1) {
		fprintf(stderr, "%s: hosts are numeric IPv4 addresses\n", argv[0]);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN); /* a write to a reset peer fails with EPIPE instead */
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	int t = atoi(argv[5]);
	pthread_t th;
	for (int i = 1; i < t; i++)
		pthread_create(&th, NULL, loop, NULL);
	loop(NULL);
}
