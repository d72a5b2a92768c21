#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#endif

#include "err.h"
#include "log.h"
#include "route.h"

void
sp_sockopts_init(struct sp_sockopts *so)
{
	memset(so, 0, sizeof(*so));
	so->rtable = -1;
}

#ifdef __linux__
/* RTA_NEXT() without its mixing of int and unsigned (-Wconversion). */
static struct rtattr *
rta_next(struct rtattr *rta, int *len)
{
	int step = (int)RTA_ALIGN(rta->rta_len);

	*len -= step;
	return (struct rtattr *)(void *)((char *)rta + step);
}

/*
 * The VRF device whose routing table is "table": walk the links over
 * rtnetlink and read IFLA_LINKINFO -> IFLA_INFO_KIND "vrf" ->
 * IFLA_INFO_DATA -> IFLA_VRF_TABLE.
 */
static int
vrf_for_table(int table, char *name, size_t len)
{
	struct {
		struct nlmsghdr		nh;
		struct ifinfomsg	ifi;
	} req;
	char buf[32768];
	struct nlmsghdr *nh;
	ssize_t n;
	int fd, found = 0, done = 0;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) == -1)
		return SP_ERR_ERRNO(errno);
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.nh.nlmsg_type = RTM_GETLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	if (send(fd, &req, req.nh.nlmsg_len, 0) == -1) {
		n = errno;
		close(fd);
		return SP_ERR_ERRNO((int)n);
	}
	while (!done && !found) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) <= 0)
			break;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		    nh = NLMSG_NEXT(nh, n)) {
			struct ifinfomsg *ifi = NLMSG_DATA(nh);
			struct rtattr *rta, *li, *d;
			const char *ifname = NULL, *kind = NULL;
			int rlen, llen, dlen;
			int tbl = -1;

			if (nh->nlmsg_type == NLMSG_DONE ||
			    nh->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (nh->nlmsg_type != RTM_NEWLINK)
				continue;
			rlen = (int)IFLA_PAYLOAD(nh);
			for (rta = IFLA_RTA(ifi); RTA_OK(rta, rlen);
			    rta = rta_next(rta, &rlen)) {
				if (rta->rta_type == IFLA_IFNAME)
					ifname = RTA_DATA(rta);
				if (rta->rta_type != IFLA_LINKINFO)
					continue;
				llen = (int)RTA_PAYLOAD(rta);
				for (li = RTA_DATA(rta); RTA_OK(li, llen);
				    li = rta_next(li, &llen)) {
					if (li->rta_type == IFLA_INFO_KIND)
						kind = RTA_DATA(li);
					if (li->rta_type != IFLA_INFO_DATA)
						continue;
					dlen = (int)RTA_PAYLOAD(li);
					for (d = RTA_DATA(li); RTA_OK(d, dlen);
					    d = rta_next(d, &dlen))
						if (d->rta_type ==
						    IFLA_VRF_TABLE &&
						    RTA_PAYLOAD(d) >= 4)
							memcpy(&tbl,
							    RTA_DATA(d), 4);
				}
			}
			if (ifname != NULL && kind != NULL &&
			    strcmp(kind, "vrf") == 0 && tbl == table) {
				snprintf(name, len, "%s", ifname);
				found = 1;
				break;
			}
		}
	}
	close(fd);
	return found ? SP_OK : SP_ERR_NO_VRF;
}
#endif

/*
 * Turn -T into what this system has: nothing to do on the BSDs (the
 * socket option takes the number), the VRF device on Linux.
 */
int
sp_sockopts_resolve(struct sp_sockopts *so)
{
	if (so->rtable < 0)
		return SP_OK;
#if HAVE_DECL_SO_RTABLE || HAVE_DECL_SO_SETFIB
	return SP_OK;
#elif defined(__linux__)
	if (so->device[0] != '\0')
		return SP_ERR_INVALID_ARG;
	/* Table 0 is the BSDs' default domain: nothing to do on Linux. */
	if (so->rtable == 0) {
		so->rtable = -1;
		return SP_OK;
	}
	return vrf_for_table(so->rtable, so->device, sizeof(so->device));
#else
	return SP_ERR_UNSUPPORTED;
#endif
}

/* Put a socket into its routing domain before bind or connect. */
int
sp_sockopts_apply(int fd, const struct sp_sockopts *so)
{
	if (so->rtable >= 0) {
#if HAVE_DECL_SO_RTABLE
		if (setsockopt(fd, SOL_SOCKET, SO_RTABLE, &so->rtable,
		    sizeof(so->rtable)) == -1)
			return errno == EPERM ? SP_ERR_ERRNO(EPERM) :
			    SP_ERR_ERRNO(errno);
#elif HAVE_DECL_SO_SETFIB
		if (setsockopt(fd, SOL_SOCKET, SO_SETFIB, &so->rtable,
		    sizeof(so->rtable)) == -1)
			return SP_ERR_ERRNO(errno);
#endif
	}
	if (so->has_mark) {
#if HAVE_DECL_SO_MARK
		if (setsockopt(fd, SOL_SOCKET, SO_MARK, &so->mark,
		    sizeof(so->mark)) == -1)
			return errno == EPERM ? SP_ERR_CAP_NET_ADMIN :
			    SP_ERR_ERRNO(errno);
#else
		return SP_ERR_UNSUPPORTED;
#endif
	}
	if (so->device[0] != '\0') {
#if HAVE_DECL_SO_BINDTODEVICE
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, so->device,
		    (socklen_t)strlen(so->device) + 1) == -1)
			return errno == EPERM ? SP_ERR_CAP_NET_RAW :
			    errno == ENODEV ? SP_ERR_NO_DEVICE :
			    SP_ERR_ERRNO(errno);
#else
		return SP_ERR_UNSUPPORTED;
#endif
	}
	return SP_OK;
}

/*
 * Move this process into a network namespace: a name from
 * /run/netns (what "ip netns add" makes) or a path such as
 * /proc/PID/ns/net.  Done before any socket exists.
 */
int
sp_netns_enter(const char *ns)
{
#ifdef __linux__
	char path[4096];
	int fd, e;

	if (strchr(ns, '/') != NULL)
		snprintf(path, sizeof(path), "%s", ns);
	else if (ns[0] == '\0' || strcmp(ns, ".") == 0 ||
	    strcmp(ns, "..") == 0)
		return SP_ERR_NO_NETNS;
	else
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? SP_ERR_NO_NETNS : SP_ERR_ERRNO(errno);
	if (setns(fd, CLONE_NEWNET) == -1) {
		e = errno;
		close(fd);
		if (e == EPERM)
			return SP_ERR_CAP_SYS_ADMIN;
		return e == EINVAL ? SP_ERR_NO_NETNS : SP_ERR_ERRNO(e);
	}
	close(fd);
	sp_debug("entered network namespace %s", path);
	return SP_OK;
#else
	(void)ns;
	return SP_ERR_UNSUPPORTED;
#endif
}

/*
 * Is there a route to addr (numeric) from this routing domain?  A UDP
 * connect(2) asks the kernel's routing lookup and sends nothing.
 * Returns SP_OK if there is, SP_ERR_ERRNO(ENETUNREACH and friends) if
 * not, another error if the question could not be asked.
 */
int
sp_route_probe(const char *addr, int family, const struct sp_sockopts *so,
    int port)
{
	struct addrinfo hints, *res, *ai;
	char portstr[8];
	int fd, r = SP_ERR_ERRNO(ENETUNREACH), e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%d", port);
	if ((e = getaddrinfo(addr, portstr, &hints, &res)) != 0)
		return e == EAI_NONAME ? SP_ERR_NOT_NUMERIC :
		    e == EAI_ADDRFAMILY || e == EAI_FAMILY ?
		    SP_ERR_NOADDR_FAMILY : SP_ERR_NOHOST;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    0)) == -1) {
			r = SP_ERR_ERRNO(errno);
			continue;
		}
		if ((r = sp_sockopts_apply(fd, so)) != SP_OK) {
			close(fd);
			break;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			close(fd);
			r = SP_OK;
			break;
		}
		r = SP_ERR_ERRNO(errno);
		sp_debug("%s: %s", addr, strerror(errno));
		close(fd);
	}
	freeaddrinfo(res);
	return r;
}
