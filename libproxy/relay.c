#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "relay.h"
#include "util.h"

#define RELAY_BUF	(128 * 1024)	/* per direction, read/write path */
#define SPLICE_CHUNK	(1024 * 1024)	/* most bytes one splice may move */
#define PIPE_WANT	(1024 * 1024)	/* pipe size we ask for, if allowed */

/* One direction of the pump. */
struct dir {
	const char	*src_name, *dst_name;
	int		 src, dst;		/* fds to poll */
	int		 src_conn, dst_conn;	/* which end is the tunnel */
	int		 src_sock, dst_sock;
	int		 splice;		/* move with splice(2) */
	int		 wait_dst;		/* splice: source ready, sink full */
	int		 eof;			/* source said EOF */
	int		 buffered;		/* ops: read again before poll */
	int		 done;
	unsigned char	*buf;
	size_t		 off, len;
	uint64_t	 bytes;
};

struct relay {
	struct sp_conn			*conn;
	const struct sp_relay_opts	*opts;
	struct dir			 up, down;	/* stdin->net, net->stdout */
	int				 out_fd;
};

void
sp_relay_opts_init(struct sp_relay_opts *o)
{
	memset(o, 0, sizeof(*o));
}

static int
is_sock(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int
is_pipe(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

static ssize_t
dir_read(struct relay *r, struct dir *d, void *buf, size_t len)
{
	if (d->src_conn && r->conn->ops != NULL)
		return r->conn->ops->read(r->conn, buf, len);
	if (d->src_sock)
		return recv(d->src, buf, len, MSG_DONTWAIT);
	return read(d->src, buf, len);
}

static ssize_t
dir_write(struct relay *r, struct dir *d, const void *buf, size_t len)
{
	if (d->dst_conn && r->conn->ops != NULL)
		return r->conn->ops->write(r->conn, buf, len);
	if (d->dst_sock)
		return send(d->dst, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	return write(d->dst, buf, len);
}

static int
again(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == EINTR;
}

/*
 * EPIPE writing to a TCP connection that we have not shut down means the
 * connection is gone, nearly always reset by the server.  The kernel
 * reports the reset once, to whichever call meets it first, and a
 * splice(2) that had already moved part of its chunk drops it; so ask
 * SO_ERROR, else name the reset rather than print "Broken pipe".
 */
static int
conn_gone(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(int);
	int e = 0, type = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 && e != 0)
		return e;
	len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_STREAM)
		return EPIPE;
	len = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1 ||
	    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
		return EPIPE;
	return ECONNRESET;
}

static int
io_error(struct dir *d, int reading, int e)
{
	if (!reading && e == EPIPE && d->dst_conn && d->dst_sock)
		e = conn_gone(d->dst);
	sp_debug("%s: %s", reading ? d->src_name : d->dst_name, strerror(e));
	return SP_ERR_ERRNO(e);
}

/* Write out what the buffer holds.  Returns 0, or an error. */
static int
dir_flush(struct relay *r, struct dir *d, int *moved)
{
	ssize_t n;

	while (d->off < d->len) {
		n = dir_write(r, d, d->buf + d->off, d->len - d->off);
		if (n == -1)
			return again(errno) ? SP_OK : io_error(d, 0, errno);
		d->off += (size_t)n;
		d->bytes += (uint64_t)n;
		*moved = 1;
	}
	d->off = d->len = 0;
	return SP_OK;
}

/* Move what can be moved now, without blocking. */
static int
dir_step(struct relay *r, struct dir *d, int *moved)
{
	ssize_t n;

	if (d->off < d->len)
		return dir_flush(r, d, moved);
#ifdef HAVE_SPLICE
	if (d->splice) {
		n = splice(d->src, NULL, d->dst, NULL, SPLICE_CHUNK,
		    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n > 0) {
			d->bytes += (uint64_t)n;
			d->wait_dst = 0;
			*moved = 1;
			return SP_OK;
		}
		if (n == 0) {
			d->eof = 1;
			return SP_OK;
		}
		if (errno == EAGAIN) {
			/*
			 * We only splice after poll said one end is ready,
			 * so EAGAIN means the other end is not: wait for
			 * the sink after a ready source, and the other way
			 * round.
			 */
			d->wait_dst = !d->wait_dst;
			return SP_OK;
		}
		if (errno == EINTR)
			return SP_OK;
		if (errno == EINVAL || errno == ENOSYS) {
			sp_debug("%s -> %s: no splice, copying",
			    d->src_name, d->dst_name);
			d->splice = 0;
			return SP_OK;
		}
		/* Only the sink of a splice says EPIPE. */
		return io_error(d, errno != EPIPE, errno);
	}
#endif
	n = dir_read(r, d, d->buf, RELAY_BUF);
	/*
	 * A tunnel with ops (TLS) can hold bytes it has already taken off
	 * the socket, which poll(2) cannot see: after a read that gave
	 * data, read again before waiting.
	 */
	d->buffered = d->src_conn && r->conn->ops != NULL && n > 0;
	if (n == -1)
		return again(errno) ? SP_OK : io_error(d, 1, errno);
	if (n == 0) {
		d->eof = 1;
		return SP_OK;
	}
	d->off = 0;
	d->len = (size_t)n;
	*moved = 1;
	return dir_flush(r, d, moved);
}

/* Stdin is done: tell the server, unless told not to. */
static void
up_finish(struct relay *r)
{
	struct sp_conn *c = r->conn;

	r->up.done = 1;
	if (r->opts->no_half_close) {
		sp_debug("stdin: EOF, connection left open");
		return;
	}
	sp_debug("stdin: EOF, shutting down the connection's write side");
	if (c->ops != NULL && c->ops->shutdown_wr != NULL)
		(void)c->ops->shutdown_wr(c);
	else
		(void)shutdown(c->fd, SHUT_WR);
}

/*
 * The server is done: close stdout so ssh sees EOF.  Keep fd 1 valid
 * (pointing at /dev/null) so nothing opened later lands on it.
 */
static void
down_finish(struct relay *r)
{
	int fd;

	r->down.done = 1;
	sp_debug("connection: EOF, closing stdout");
	if (r->down.dst_sock)
		(void)shutdown(r->out_fd, SHUT_WR);
	if ((fd = open("/dev/null", O_WRONLY)) != -1) {
		if (fd != r->out_fd) {
			(void)dup2(fd, r->out_fd);
			close(fd);
		}
	} else
		close(r->out_fd);
}

/*
 * ssh is leaving (it closed our stdout, or sent SIGHUP): its last
 * packets, such as the disconnect message, may still sit in the stdin
 * pipe.  Pass on whatever is there now, without waiting for more than
 * DRAIN_MS for the socket to take it, then tell the server we are done.
 */
#define DRAIN_MS	1000

static void
up_drain(struct relay *r)
{
	struct dir *d = &r->up;
	struct pollfd pfd;
	int64_t end = sp_clock_ms() + DRAIN_MS;
	int moved;

	if (d->done)
		return;
	while (!d->eof && sp_clock_ms() < end) {
		if (d->off == d->len || (d->splice && !d->wait_dst)) {
			/* Anything to read right now? */
			pfd.fd = d->src;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, 0) != 1)
				break;
		} else {
			pfd.fd = d->dst;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, (int)(end - sp_clock_ms())) != 1)
				break;
		}
		moved = 0;
		if (dir_step(r, d, &moved) != SP_OK)
			return;
	}
	while (d->off < d->len && sp_clock_ms() < end) {
		moved = 0;
		if (dir_flush(r, d, &moved) != SP_OK)
			return;
		if (d->off < d->len) {
			pfd.fd = d->dst;
			pfd.events = POLLOUT;
			(void)poll(&pfd, 1, (int)(end - sp_clock_ms()));
		}
	}
	if (d->eof && d->off == d->len)
		up_finish(r);
}

static void
dir_setup(struct dir *d, int src, int dst, int want_splice)
{
	d->src = src;
	d->dst = dst;
	d->src_sock = is_sock(src);
	d->dst_sock = is_sock(dst);
#ifdef HAVE_SPLICE
	/* splice(2) needs a pipe at one end; sockets at the other. */
	if (want_splice && ((is_pipe(src) && d->dst_sock) ||
	    (d->src_sock && is_pipe(dst)))) {
		d->splice = 1;
#if HAVE_DECL_F_SETPIPE_SZ
		/* Bigger pipes mean fewer wake-ups; failure is harmless. */
		(void)fcntl(is_pipe(src) ? src : dst, F_SETPIPE_SZ, PIPE_WANT);
#endif
	}
#else
	(void)want_splice;
#endif
	/*
	 * Copying into a pipe: make our end non-blocking, so a reader that
	 * stalls cannot block us in write(2) with the other direction (and
	 * the signals that end us) waiting.  The write end of a pipe is
	 * ours alone; a tty or a file is left as it is.
	 */
	if (!d->splice && !d->dst_sock && is_pipe(dst))
		(void)sp_set_nonblock(dst, 1);
}

static int
relay_wait(struct relay *r, struct pollfd *pfd, nfds_t n, int timeout)
{
#ifdef HAVE_PPOLL
	struct timespec ts, *tsp = NULL;

	if (timeout >= 0) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (long)(timeout % 1000) * 1000000;
		tsp = &ts;
	}
	return ppoll(pfd, n, tsp, r->opts->wait_mask);
#else
	int rc;

	if (r->opts->wait_mask != NULL) {
		sigset_t old;

		sigprocmask(SIG_SETMASK, r->opts->wait_mask, &old);
		rc = poll(pfd, n, timeout);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return rc;
	}
	return poll(pfd, n, timeout);
#endif
}

/* Add what direction d waits for to the poll set; -1 if nothing. */
static int
dir_poll(struct dir *d, struct pollfd *pfd, nfds_t *n)
{
	if (d->done)
		return -1;
	pfd[*n].revents = 0;
	if (d->off < d->len || (d->splice && d->wait_dst)) {
		pfd[*n].fd = d->dst;
		pfd[*n].events = POLLOUT;
	} else {
		pfd[*n].fd = d->src;
		pfd[*n].events = POLLIN;
	}
	return (int)(*n)++;
}

int
sp_relay(int in_fd, int out_fd, struct sp_conn *conn,
    const struct sp_relay_opts *opts, struct sp_relay_stats *stats)
{
	struct relay r;
	struct pollfd pfd[3];
	int64_t last = sp_clock_ms(), idle_left;
	int iu, id, iout, rc = SP_OK, n, moved, timeout, splice_ok, ready;
	nfds_t np;

	memset(&r, 0, sizeof(r));
	r.conn = conn;
	r.opts = opts;
	r.out_fd = out_fd;
	splice_ok = conn->ops == NULL && !opts->no_splice;

	r.up.src_name = "stdin";
	r.up.dst_name = "connection";
	r.up.dst_conn = 1;
	dir_setup(&r.up, in_fd, conn->fd, splice_ok);
	r.down.src_name = "connection";
	r.down.dst_name = "stdout";
	r.down.src_conn = 1;
	dir_setup(&r.down, conn->fd, out_fd, splice_ok);

	if ((r.up.buf = malloc(RELAY_BUF)) == NULL ||
	    (r.down.buf = malloc(conn->npending > RELAY_BUF ?
	    conn->npending : RELAY_BUF)) == NULL) {
		rc = SP_ERR_NOMEM;
		goto out;
	}
	r.down.buffered = conn->ops != NULL;
	/* What the handshake read past the proxy's reply goes first. */
	if (conn->npending > 0) {
		memcpy(r.down.buf, conn->pending, conn->npending);
		r.down.len = conn->npending;
	}
	sp_debug("relay: stdin -> connection %s, connection -> stdout %s",
	    r.up.splice ? "spliced" : "copied",
	    r.down.splice ? "spliced" : "copied");

	while (!r.down.done) {
		if (r.up.eof && r.up.off == r.up.len && !r.up.done)
			up_finish(&r);
		if (r.down.eof && r.down.off == r.down.len) {
			down_finish(&r);
			break;
		}
		np = 0;
		iu = dir_poll(&r.up, pfd, &np);
		id = dir_poll(&r.down, pfd, &np);
		/*
		 * Watch stdout even when nothing is waiting to be written,
		 * so that a reader that went away ends the relay at once
		 * (POLLERR) instead of at the next write.
		 */
		iout = -1;
		if (id == -1 || pfd[id].fd != out_fd) {
			pfd[np].fd = out_fd;
			pfd[np].events = 0;
			pfd[np].revents = 0;
			iout = (int)np++;
		}

		timeout = -1;
		if (opts->idle_timeout_ms > 0) {
			idle_left = last + opts->idle_timeout_ms -
			    sp_clock_ms();
			if (idle_left <= 0) {
				rc = SP_ERR_IDLE;
				break;
			}
			timeout = (int)idle_left;
		}
		/* Data may be waiting inside the tunnel: do not block. */
		ready = id != -1 && r.down.buffered &&
		    pfd[id].fd == r.down.src;
		if (ready)
			timeout = 0;
		if (opts->stop != NULL && *opts->stop) {
			sp_debug("relay: stopped by a signal");
			up_drain(&r);
			break;
		}
		n = relay_wait(&r, pfd, np, timeout);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			rc = SP_ERR_ERRNO(errno);
			break;
		}
		if (n == 0 && !ready)
			continue;
		moved = 0;
		if (iout != -1 && (pfd[iout].revents & (POLLERR | POLLHUP |
		    POLLNVAL))) {
			sp_debug("stdout: reader went away, ending");
			up_drain(&r);
			break;
		}
		if (iu != -1 && pfd[iu].revents != 0 &&
		    (rc = dir_step(&r, &r.up, &moved)) != SP_OK)
			break;
		if (id != -1 && (pfd[id].revents != 0 || ready) &&
		    (rc = dir_step(&r, &r.down, &moved)) != SP_OK) {
			/*
			 * Nobody reads stdout any more: ssh has exited (it
			 * closes the pipe before it sends SIGHUP).  That is
			 * the normal end of a session, not a failure.
			 */
			if (rc == SP_ERR_ERRNO(EPIPE)) {
				sp_debug("stdout: reader went away, ending");
				rc = SP_OK;
				up_drain(&r);
			}
			break;
		}
		if (moved && opts->idle_timeout_ms > 0)
			last = sp_clock_ms();
	}
	/* The server is gone; hand it what stdin already gave us, if it can. */
	if (rc == SP_OK && r.up.off < r.up.len) {
		moved = 0;
		(void)dir_flush(&r, &r.up, &moved);
	}
 out:
	if (stats != NULL) {
		stats->to_remote = r.up.bytes;
		stats->to_local = r.down.bytes;
		stats->spliced_up = r.up.splice;
		stats->spliced_down = r.down.splice;
	}
	free(r.up.buf);
	free(r.down.buf);
	return rc;
}
