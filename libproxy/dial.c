#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "dial.h"
#include "err.h"
#include "log.h"
#include "onion.h"
#include "route.h"
#include "util.h"

#define DIAL_MAX_ADDRS	64	/* addresses tried for one name */
#define ADDRSTR_LEN	(NI_MAXHOST + NI_MAXSERV + 4)

struct attempt {
	int			 fd;
	const struct addrinfo	*ai;
};

void
sp_dial_opts_init(struct sp_dial_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->family = AF_UNSPEC;
	o->he_delay_ms = SP_HE_DELAY_DEFAULT;
}

static int
gai_to_err(int e, int family)
{
	switch (e) {
	case EAI_NONAME:
#ifdef EAI_NODATA
	case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
	case EAI_ADDRFAMILY:
#endif
		return family == AF_UNSPEC ? SP_ERR_NOHOST :
		    SP_ERR_NOADDR_FAMILY;
	case EAI_AGAIN:
		return SP_ERR_RESOLVE_TEMP;
	case EAI_FAIL:
		return SP_ERR_NOHOST;
	case EAI_MEMORY:
		return SP_ERR_NOMEM;
	case EAI_SYSTEM:
		return SP_ERR_ERRNO(errno);
	default:
		return SP_ERR_INTERNAL;
	}
}

static void
addr_string(const struct sockaddr *sa, socklen_t len, char *buf, size_t n)
{
	char host[NI_MAXHOST], port[NI_MAXSERV];

	if (getnameinfo(sa, len, host, sizeof(host), port, sizeof(port),
	    NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(buf, n, "?");
		return;
	}
	if (sa->sa_family == AF_INET6)
		snprintf(buf, n, "[%s]:%s", host, port);
	else
		snprintf(buf, n, "%s:%s", host, port);
}

static int
remaining_ms(int64_t deadline)
{
	int64_t left;

	if (deadline == 0)
		return -1;
	left = deadline - sp_clock_ms();
	return left <= 0 ? 0 : (left > INT32_MAX ? INT32_MAX : (int)left);
}

/*
 * getaddrinfo(3) cannot be told how long to wait.  Where glibc's
 * asynchronous variant exists, a name lookup under a connect timeout
 * runs in it so the timeout covers resolving too (a dead resolver
 * otherwise adds 10 seconds or more).  Numeric addresses never need it.
 */
static int
resolve(const char *host, uint16_t port, const struct sp_dial_opts *o,
    int64_t deadline, struct addrinfo **res)
{
	struct addrinfo hints;
	char portstr[8];
	int e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = o->family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(portstr, sizeof(portstr), "%u", port);

	/* A .onion name must never reach a resolver: it would leak. */
	if (sp_is_onion(host))
		return SP_ERR_ONION_LOCAL;
	if (sp_addr_is_numeric(host) || o->numeric) {
		hints.ai_flags |= AI_NUMERICHOST;
		e = getaddrinfo(host, portstr, &hints, res);
		if (e == EAI_NONAME && o->numeric && !sp_addr_is_numeric(host))
			return SP_ERR_NOT_NUMERIC;
		return e == 0 ? SP_OK : gai_to_err(e, o->family);
	}
	sp_debug("resolving %s", host);
#ifdef HAVE_GETADDRINFO_A
	if (deadline != 0) {
		struct gaicb *req, *list[1];
		struct timespec ts;
		int left;

		/*
		 * The request lives on the heap: if the lookup cannot be
		 * cancelled when we give up, the resolver thread still
		 * writes into it, so it is deliberately never freed then.
		 */
		if ((req = calloc(1, sizeof(*req) + sizeof(hints) +
		    sizeof(portstr) + strlen(host) + 1)) == NULL)
			return SP_ERR_NOMEM;
		memcpy(req + 1, &hints, sizeof(hints));
		memcpy((char *)(req + 1) + sizeof(hints), portstr,
		    sizeof(portstr));
		strcpy((char *)(req + 1) + sizeof(hints) + sizeof(portstr),
		    host);
		req->ar_name = (char *)(req + 1) + sizeof(hints) +
		    sizeof(portstr);
		req->ar_service = (char *)(req + 1) + sizeof(hints);
		req->ar_request = (struct addrinfo *)(req + 1);
		list[0] = req;
		if ((e = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
			free(req);
			return gai_to_err(e, o->family);
		}
		for (;;) {
			left = remaining_ms(deadline);
			ts.tv_sec = left / 1000;
			ts.tv_nsec = (long)(left % 1000) * 1000000;
			e = gai_suspend((const struct gaicb *const *)list, 1,
			    &ts);
			if (e == 0 || e == EAI_ALLDONE)
				break;
			if (e == EAI_INTR)
				continue;
			if (e == EAI_AGAIN && remaining_ms(deadline) > 0)
				continue;
			if (gai_cancel(req) == EAI_CANCELED)
				free(req);
			return SP_ERR_TIMEOUT;
		}
		e = gai_error(req);
		*res = req->ar_result;
		free(req);
		return e == 0 ? SP_OK : gai_to_err(e, o->family);
	}
#else
	(void)deadline;
#endif
	e = getaddrinfo(host, portstr, &hints, res);
	return e == 0 ? SP_OK : gai_to_err(e, o->family);
}

/*
 * RFC 8305 section 4: keep the resolver's (RFC 6724) order, but
 * alternate address families, starting with the family of the first
 * address, so that a broken IPv6 path costs one attempt delay and not
 * one connect timeout per address.
 */
static size_t
order_addrs(struct addrinfo *res, const struct addrinfo **out, size_t max)
{
	const struct addrinfo *a, *fam[2][DIAL_MAX_ADDRS];
	size_t nf[2] = { 0, 0 }, i[2] = { 0, 0 }, n = 0;
	int first = -1, k;

	for (a = res; a != NULL; a = a->ai_next) {
		if (a->ai_family != AF_INET && a->ai_family != AF_INET6)
			continue;
		k = a->ai_family == AF_INET6;
		if (first == -1)
			first = k;
		if (nf[k] < DIAL_MAX_ADDRS)
			fam[k][nf[k]++] = a;
	}
	if (first == -1)
		return 0;
	for (k = first; n < max && (i[0] < nf[0] || i[1] < nf[1]); k = !k)
		if (i[k] < nf[k])
			out[n++] = fam[k][i[k]++];
	return n;
}

static void
set_sockopts(int fd)
{
	int one = 1;

	/*
	 * ssh sets TCP_NODELAY and SO_KEEPALIVE on its own socket, but
	 * behind a ProxyCommand it has no socket: do it for it, or
	 * interactive keystrokes wait on Nagle's algorithm.
	 */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
}

/* Start one non-blocking connect.  Returns 1 if still in progress. */
static int
attempt_start(const struct addrinfo *ai, const struct addrinfo *src,
    const struct sp_sockopts *so, struct attempt *at, int *err)
{
	char where[ADDRSTR_LEN];
	int fd;

	addr_string(ai->ai_addr, ai->ai_addrlen, where, sizeof(where));
	if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol))
	    == -1) {
		*err = SP_ERR_ERRNO(errno);
		sp_info("%s: socket: %s", where, strerror(errno));
		return 0;
	}
	if (sp_set_nonblock(fd, 1) != SP_OK || sp_set_cloexec(fd) != SP_OK) {
		*err = SP_ERR_ERRNO(errno);
		close(fd);
		return 0;
	}
	if (so != NULL && (*err = sp_sockopts_apply(fd, so)) != SP_OK) {
		sp_info("%s: %s", where, sp_strerror(*err));
		close(fd);
		return 0;
	}
	if (src != NULL) {
#ifdef IP_BIND_ADDRESS_NO_PORT
		int one = 1;

		/* Pick the port at connect time, not at bind time. */
		(void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT,
		    &one, sizeof(one));
#endif
		if (bind(fd, src->ai_addr, src->ai_addrlen) == -1) {
			*err = SP_ERR_ERRNO(errno);
			sp_info("%s: cannot bind source address: %s", where,
			    strerror(errno));
			close(fd);
			return 0;
		}
	}
	sp_debug("%s: connecting", where);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
	    errno == EINPROGRESS || errno == EINTR) {
		at->fd = fd;
		at->ai = ai;
		return 1;
	}
	*err = SP_ERR_ERRNO(errno);
	sp_info("%s: %s", where, strerror(errno));
	close(fd);
	return 0;
}

/*
 * Errors that say "this address cannot work from here" are less useful
 * to report than one that says what the destination did.
 */
static int
err_rank(int err)
{
	if (!SP_ERR_IS_ERRNO(err))
		return 1;
	switch (SP_ERR_TO_ERRNO(err)) {
	case ENETUNREACH:
	case EAFNOSUPPORT:
	case EADDRNOTAVAIL:
		return 0;
	default:
		return 2;
	}
}

static void
keep_err(int *best, int err)
{
	if (*best == SP_OK || err_rank(err) >= err_rank(*best))
		*best = err;
}

static int
race(const struct addrinfo **addrs, size_t naddrs,
    const struct addrinfo *src, const struct sp_dial_opts *o,
    int64_t deadline, int *fdp)
{
	struct attempt at[DIAL_MAX_ADDRS];
	struct pollfd pfd[DIAL_MAX_ADDRS];
	char where[ADDRSTR_LEN];
	size_t next = 0, nat = 0, i;
	int64_t next_at = 0, now;
	int best = SP_OK, err, timeout, left, n, soerr, delay;
	socklen_t len;

	delay = o->he_delay_ms > 0 ? o->he_delay_ms : SP_HE_DELAY_DEFAULT;
	for (;;) {
		now = sp_clock_ms();
		/* Start the next attempt: on schedule, or at once if idle. */
		while (next < naddrs && (nat == 0 || now >= next_at)) {
			if (attempt_start(addrs[next++], src, o->sockopts,
			    &at[nat], &err)) {
				nat++;
				next_at = now + delay;
				break;
			}
			keep_err(&best, err);
		}
		if (nat == 0)
			return best != SP_OK ? best : SP_ERR_NOHOST;

		left = remaining_ms(deadline);
		if (left == 0) {
			best = SP_ERR_TIMEOUT;
			break;
		}
		timeout = left;
		if (next < naddrs) {
			int64_t d = next_at - now;

			if (d < 0)
				d = 0;
			if (timeout == -1 || d < timeout)
				timeout = (int)d;
		}
		for (i = 0; i < nat; i++) {
			pfd[i].fd = at[i].fd;
			pfd[i].events = POLLOUT;
			pfd[i].revents = 0;
		}
		if ((n = poll(pfd, nat, timeout)) == -1) {
			if (errno == EINTR)
				continue;
			best = SP_ERR_ERRNO(errno);
			break;
		}
		if (n == 0)
			continue;
		for (i = 0; i < nat; i++) {
			if (pfd[i].revents == 0)
				continue;
			soerr = 0;
			len = sizeof(soerr);
			if (getsockopt(at[i].fd, SOL_SOCKET, SO_ERROR, &soerr,
			    &len) == -1)
				soerr = errno;
			addr_string(at[i].ai->ai_addr, at[i].ai->ai_addrlen,
			    where, sizeof(where));
			if (soerr == 0) {
				sp_info("connected to %s", where);
				*fdp = at[i].fd;
				at[i].fd = -1;
				goto won;
			}
			sp_info("%s: %s", where, strerror(soerr));
			keep_err(&best, SP_ERR_ERRNO(soerr));
			next_at = sp_clock_ms();	/* next one now */
			close(at[i].fd);
			at[i].fd = -1;
		}
		/* Compact the attempts still in flight. */
		for (i = 0, n = 0; i < nat; i++)
			if (at[i].fd != -1)
				at[n++] = at[i];
		nat = (size_t)n;
	}
	for (i = 0; i < nat; i++)
		close(at[i].fd);
	return best;
 won:
	for (i = 0; i < nat; i++)
		if (at[i].fd != -1)
			close(at[i].fd);
	return SP_OK;
}

int
sp_dial(const char *host, uint16_t port, const struct sp_dial_opts *o,
    int *fdp)
{
	struct addrinfo *res = NULL, *src = NULL, hints;
	const struct addrinfo *addrs[DIAL_MAX_ADDRS], *filtered[DIAL_MAX_ADDRS];
	struct sp_dial_opts opts = *o;
	int64_t deadline = 0;
	size_t n, i, m;
	int r, e;

	*fdp = -1;
	if (opts.timeout_ms > 0)
		deadline = sp_clock_ms() + opts.timeout_ms;

	if (opts.source != NULL) {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = opts.family;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
		if ((e = getaddrinfo(opts.source, NULL, &hints, &src)) != 0)
			return e == EAI_NONAME ? SP_ERR_SOURCE_BAD :
			    gai_to_err(e, opts.family);
		/* The source address decides the family. */
		opts.family = src->ai_family;
	}

	if ((r = resolve(host, port, &opts, deadline, &res)) != SP_OK)
		goto out;
	n = order_addrs(res, addrs, DIAL_MAX_ADDRS);
	for (i = m = 0; i < n; i++)
		if (src == NULL || addrs[i]->ai_family == src->ai_family)
			filtered[m++] = addrs[i];
	if (m == 0) {
		r = src != NULL ? SP_ERR_SOURCE_FAMILY : SP_ERR_NOHOST;
		goto out;
	}
	r = race(filtered, m, src, &opts, deadline, fdp);
	if (r == SP_OK)
		set_sockopts(*fdp);
 out:
	if (res != NULL)
		freeaddrinfo(res);
	if (src != NULL)
		freeaddrinfo(src);
	return r;
}

/* Connect to a unix-domain socket (a SOCKS proxy such as Tor's). */
int
sp_dial_unix(const char *path, int timeout_ms, int *fdp)
{
	struct sockaddr_un sun;
	struct pollfd pfd;
	socklen_t len;
	int fd, soerr = 0, n;

	*fdp = -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return SP_ERR_INVALID_ARG;
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return SP_ERR_ERRNO(errno);
	if (sp_set_nonblock(fd, 1) != SP_OK || sp_set_cloexec(fd) != SP_OK)
		goto fail;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		/* For AF_UNIX, EAGAIN is a full backlog, not "in progress". */
		if (errno != EINPROGRESS && errno != EINTR)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		while ((n = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : -1)) ==
		    -1 && errno == EINTR)
			;
		if (n == 0) {
			close(fd);
			return SP_ERR_TIMEOUT;
		}
		len = sizeof(soerr);
		if (n == -1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
		    &len) == -1)
			goto fail;
		if (soerr != 0) {
			errno = soerr;
			goto fail;
		}
	}
	*fdp = fd;
	return SP_OK;
 fail:
	n = errno;
	close(fd);
	return SP_ERR_ERRNO(n);
}

/* Resolve a name to one numeric address, for SOCKS4 and SOCKS5 hops. */
int
sp_resolve_one(const char *host, const struct sp_dial_opts *o, int family,
    char *buf, size_t len)
{
	struct sp_dial_opts opts = *o;
	struct addrinfo *res = NULL;
	int64_t deadline = 0;
	int r;

	if (family != AF_UNSPEC)
		opts.family = family;
	if (opts.timeout_ms > 0)
		deadline = sp_clock_ms() + opts.timeout_ms;
	if ((r = resolve(host, 1, &opts, deadline, &res)) != SP_OK)
		return r;
	r = getnameinfo(res->ai_addr, res->ai_addrlen, buf, (socklen_t)len,
	    NULL, 0, NI_NUMERICHOST) == 0 ? SP_OK : SP_ERR_NOHOST;
	freeaddrinfo(res);
	return r;
}
