#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <errno.h>
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

/*
 * One byte of data with the descriptor in an SCM_RIGHTS message: what
 * ssh's mm_receive_fd() reads.
 */
int
sp_fdpass_send(int unix_fd, int fd)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct msghdr msg;
	struct cmsghdr *cmsg;
	struct iovec iov;
	struct pollfd pfd;
	char byte = '\0';
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));

	for (;;) {
		n = sendmsg(unix_fd, &msg, MSG_NOSIGNAL);
		if (n == 1)
			break;
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = unix_fd;
			pfd.events = POLLOUT;
			(void)poll(&pfd, 1, -1);
			continue;
		}
		return SP_ERR_ERRNO(n == -1 ? errno : EIO);
	}
	sp_debug("passed the connection to ssh");
	return SP_OK;
}
