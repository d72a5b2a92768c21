#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdint.h>
#include <poll.h>
#include <string.h>

#include "err.h"
#include "fdpass.h"
#include "log.h"

/* ssh hands a ProxyUseFdpass command one AF_UNIX socket as stdout. */
int
sp_fdpass_check(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct stat st;

	if (fstat(fd, &st) == -1)
		return SP_ERR_ERRNO(errno);
	if (!S_ISSOCK(st.st_mode))
		return SP_ERR_NOT_UNIXSOCK;
	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return SP_ERR_ERRNO(errno);
	if (ss.ss_family != AF_UNIX)
		return SP_ERR_NOT_UNIXSOCK;
	return SP_OK;
}

/* Room for one descriptor's control message, aligned. */
union fd_cmsg {
	struct cmsghdr	hdr;
	char		buf[CMSG_SPACE(sizeof(int))];
};

/*
 * Send len bytes from buf, with fd in an SCM_RIGHTS message unless fd is
 * -1.  Waits while a non-blocking socket is full.  Returns SP_OK or an
 * SP_ERR_* code; a short send of a datagram is EIO.
 */
int
sp_fdpass_sendmsg(int sock, const void *buf, size_t len, int fd)
{
	union fd_cmsg cm;
	struct msghdr msg;
	struct cmsghdr *c;
	struct iovec iov;
	struct pollfd pfd;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&cm, 0, sizeof(cm));
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof(cm.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	for (;;) {
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n == (ssize_t)len)
			return SP_OK;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = sock;
			pfd.events = POLLOUT;
			(void)poll(&pfd, 1, -1);
			continue;
		}
		return SP_ERR_ERRNO(n == -1 ? errno : EIO);
	}
}

/*
 * Receive up to len bytes into buf and at most one descriptor (close-on-
 * exec) into *fd, -1 if none came.  Returns the byte count, 0 at EOF, -1
 * with errno on error.  A descriptor that came with a failed or empty
 * read is not leaked: the caller gets it in *fd and closes it.
 */
ssize_t
sp_fdpass_recvmsg(int sock, void *buf, size_t len, int *fd)
{
	union fd_cmsg cm;
	struct msghdr msg;
	struct cmsghdr *c;
	struct iovec iov = { buf, len };
	ssize_t n;

	*fd = -1;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	while ((n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) == -1)
		if (errno != EINTR)
			return -1;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n;
}

/*
 * One byte of data with the descriptor in an SCM_RIGHTS message: what
 * ssh's mm_receive_fd() reads.
 */
int
sp_fdpass_send(int unix_fd, int fd)
{
	static const char byte = '\0';
	int r;

	if ((r = sp_fdpass_sendmsg(unix_fd, &byte, 1, fd)) != SP_OK)
		return r;
	sp_debug("passed the connection to ssh");
	return SP_OK;
}
