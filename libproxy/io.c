#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>

#include "err.h"
#include "io.h"
#include "util.h"

static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd pfd;
	int64_t left;
	int n;

	for (;;) {
		left = -1;
		if (deadline != 0) {
			left = deadline - sp_clock_ms();
			if (left <= 0)
				return SP_ERR_TIMEOUT;
		}
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (n > 0)
			return SP_OK;
		if (n == -1 && errno != EINTR)
			return SP_ERR_ERRNO(errno);
	}
}

/* Through the tunnel's ops when it has them (TLS), else the socket. */
static ssize_t
conn_send(struct sp_conn *c, const void *buf, size_t len)
{
	if (c->ops != NULL)
		return c->ops->write(c, buf, len);
	return send(c->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static ssize_t
conn_recv(struct sp_conn *c, void *buf, size_t len)
{
	if (c->ops != NULL)
		return c->ops->read(c, buf, len);
	return recv(c->fd, buf, len, MSG_DONTWAIT);
}

/*
 * A proxy that resets the connection mid-handshake (it was killed with
 * our request unread) has hung up just as much as one that sent FIN:
 * the tunnel never came up, so this is not "the tunnel broke" (exit 1).
 */
static int
hung_up(int e)
{
	if (e == ECONNRESET || e == EPIPE)
		return SP_ERR_PROXY_CLOSED;
	return SP_ERR_ERRNO(e);
}

int
sp_io_write_all(struct sp_conn *c, const void *buf, size_t len,
    int64_t deadline)
{
	const unsigned char *p = buf;
	ssize_t n;
	int r;

	while (len > 0) {
		n = conn_send(c, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if ((r = wait_fd(c->fd, POLLOUT, deadline)) != SP_OK)
				return r;
			continue;
		}
		return hung_up(errno);
	}
	return SP_OK;
}

/*
 * Read exactly len bytes: never more, so whatever the peer sends after a
 * reply stays in the socket for the relay.  EOF (or a reset) before the
 * end is SP_ERR_PROXY_CLOSED.
 */
int
sp_io_read_exact(struct sp_conn *c, void *buf, size_t len, int64_t deadline)
{
	unsigned char *p = buf;
	ssize_t n;
	int r;

	while (len > 0) {
		n = conn_recv(c, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0)
			return SP_ERR_PROXY_CLOSED;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			if ((r = wait_fd(c->fd, POLLIN, deadline)) != SP_OK)
				return r;
			continue;
		}
		return hung_up(errno);
	}
	return SP_OK;
}
