#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "fdpass.h"
#include "log.h"
#include "race.h"
#include "relay.h"
#include "tunnel.h"
#include "util.h"

/* What a child says: the result, and whether an fd comes with it. */
struct race_msg {
	int32_t	result;
	int32_t	pumped;		/* the fd leads to a pump */
};

/*
 * One attempt in this process: enter its namespace, put its sockets in
 * their routing domain, open the tunnel.
 */
int
sp_attempt_open(struct sp_attempt *a, const char *host, uint16_t port,
    struct sp_conn *out)
{
	int r;

	sp_conn_init(out, -1);
	if (a->netns != NULL && (r = sp_netns_enter(a->netns)) != SP_OK)
		return r;
	if (a->so.rtable >= 0 || a->so.has_mark || a->so.device[0] != '\0') {
		if ((r = sp_sockopts_resolve(&a->so)) != SP_OK)
			return r;
		a->dial.sockopts = &a->so;
	}
	return sp_tunnel_open(&a->route, host, port, &a->dial, &a->http, out);
}

static int
send_msg(int sock, int result, int pumped, int fd)
{
	struct race_msg m = { result, pumped };

	return sp_fdpass_sendmsg(sock, &m, sizeof(m), fd) == SP_OK ? 0 : -1;
}

/* Returns 1 with a message (and *fd, or -1), 0 on EOF, -1 on error. */
static int
recv_msg(int sock, struct race_msg *m, int *fd)
{
	ssize_t n;

	n = sp_fdpass_recvmsg(sock, m, sizeof(*m), fd);
	if (n == (ssize_t)sizeof(*m))
		return 1;
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	return n == 0 ? 0 : -1;
}

/*
 * The child: open the tunnel and hand it over.  A TLS tunnel, or one
 * with bytes read ahead, cannot travel as a socket: the child pumps it
 * to a socket pair until either side is done.
 */
static void __attribute__((noreturn))
child(struct sp_attempt *a, const char *host, uint16_t port, int sock)
{
	struct sp_relay_opts ro;
	struct sp_relay_stats st;
	struct sp_conn conn;
	int r, sv[2], in;

	r = sp_attempt_open(a, host, port, &conn);
	if (r != SP_OK) {
		(void)send_msg(sock, r, 0, -1);
		_exit(0);
	}
	if (conn.ops == NULL && conn.npending == 0) {
		(void)send_msg(sock, SP_OK, 0, conn.fd);
		_exit(0);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1 ||
	    (in = dup(sv[1])) == -1) {
		(void)send_msg(sock, SP_ERR_ERRNO(errno), 0, -1);
		_exit(0);
	}
	(void)send_msg(sock, SP_OK, 1, sv[0]);
	close(sv[0]);
	close(sock);
	sp_relay_opts_init(&ro);
	(void)sp_relay(in, sv[1], &conn, &ro, &st);
	sp_conn_close(&conn);
	_exit(0);
}

struct slot {
	pid_t	pid;
	int	sock;
};

static void
stop_slot(struct slot *s, int sig)
{
	if (s->sock >= 0) {
		close(s->sock);
		s->sock = -1;
	}
	if (s->pid > 0) {
		if (sig != 0)
			(void)kill(s->pid, sig);
		while (waitpid(s->pid, NULL, 0) == -1 && errno == EINTR)
			;
		s->pid = -1;
	}
}

static int
start(struct sp_attempt *a, int i, struct slot *slots, int n,
    const char *host, uint16_t port)
{
	char name[96];
	pid_t parent = getpid(), pid;
	int sv[2], k, level;

	a[i].started = 1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return SP_ERR_ERRNO(errno);
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return SP_ERR_ERRNO(errno);
	}
	if (pid == 0) {
#ifdef __linux__
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
		if (getppid() != parent)
			_exit(0);
		close(sv[0]);
		/* ssh waits for EOF on our stdout: children never hold it. */
		if ((k = open("/dev/null", O_RDWR | O_CLOEXEC)) != -1) {
			(void)dup2(k, STDIN_FILENO);
			(void)dup2(k, STDOUT_FILENO);
			if (k > STDOUT_FILENO)
				close(k);
		}
		for (k = 0; k < n; k++)
			if (slots[k].sock >= 0)
				close(slots[k].sock);
		(void)signal(SIGHUP, SIG_DFL);
		(void)signal(SIGPIPE, SIG_IGN);
		level = sp_log_level();
		snprintf(name, sizeof(name), "%s [route %s]", sp_log_name(),
		    a[i].name);
		sp_log_init(name, level);
		child(&a[i], host, port, sv[1]);
	}
	close(sv[1]);
	slots[i].pid = pid;
	slots[i].sock = sv[0];
	sp_info("route %s: trying", a[i].name);
	return SP_OK;
}

/*
 * Open a tunnel over one of n routes.  In fallback mode each route
 * starts when the one before has failed; in stagger (race) mode the
 * next also starts delay_ms after the last one started (0: all at
 * once; below 0: the default).  Returns SP_OK
 * with the tunnel in out and the winner in res, or the last failure
 * (every attempt's own failure is in its result).
 */
int
sp_race_open(struct sp_attempt *a, int n, enum sp_race_mode mode,
    int delay_ms, const char *host, uint16_t port, struct sp_conn *out,
    struct sp_race_result *res)
{
	struct slot slots[SP_RACE_MAX];
	struct pollfd pfd[SP_RACE_MAX];
	int idx[SP_RACE_MAX];
	struct race_msg m;
	int64_t next, now;
	int i, np, started = 0, alive = 0, r, last = SP_ERR_INTERNAL, fd;
	int timeout, got;

	res->winner = -1;
	res->pump = -1;
	sp_conn_init(out, -1);
	if (n < 1 || n > SP_RACE_MAX)
		return SP_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		a[i].started = 0;
		a[i].result = SP_ERR_INTERNAL;
	}
	/*
	 * One route, or routes in turn that stay in this network
	 * namespace: no child needed, nothing runs at the same time.
	 */
	for (i = 0; i < n && a[i].netns == NULL; i++)
		;
	if (n == 1 || (mode == SP_RACE_FALLBACK && i == n)) {
		for (i = 0; i < n; i++) {
			if (n > 1)
				sp_info("route %s: trying", a[i].name);
			a[i].started = 1;
			r = sp_attempt_open(&a[i], host, port, out);
			a[i].result = last = r;
			if (r == SP_OK) {
				res->winner = i;
				if (n > 1)
					sp_info("route %s won", a[i].name);
				return SP_OK;
			}
			if (n > 1)
				sp_info("route %s: %s", a[i].name,
				    sp_strerror(r));
		}
		return last;
	}
	if (delay_ms < 0)
		delay_ms = SP_RACE_DELAY_DEFAULT;	/* 0: all at once */
	for (i = 0; i < SP_RACE_MAX; i++) {
		slots[i].pid = -1;
		slots[i].sock = -1;
	}
	next = sp_clock_ms();
	while (res->winner < 0 && (started < n || alive > 0)) {
		now = sp_clock_ms();
		if (started < n && now >= next) {
			if ((r = start(a, started, slots, n, host, port)) !=
			    SP_OK) {
				a[started].result = last = r;
				started++;
				continue;
			}
			started++;
			alive++;
			next = mode == SP_RACE_STAGGER ? now + delay_ms :
			    INT64_MAX;
		}
		np = 0;
		for (i = 0; i < started; i++)
			if (slots[i].sock >= 0) {
				pfd[np].fd = slots[i].sock;
				pfd[np].events = POLLIN;
				idx[np++] = i;
			}
		timeout = -1;
		if (started < n && next != INT64_MAX)
			timeout = next - now > 0 ? (int)(next - now) : 0;
		if (np == 0 && timeout < 0) {
			next = sp_clock_ms();	/* none running: go on */
			continue;
		}
		if (poll(pfd, (nfds_t)np, timeout) == -1) {
			if (errno == EINTR)
				continue;
			last = SP_ERR_ERRNO(errno);
			break;
		}
		for (i = 0; i < np; i++) {
			struct slot *s = &slots[idx[i]];

			if (pfd[i].revents == 0)
				continue;
			got = recv_msg(s->sock, &m, &fd);
			if (got == 1 && m.result == SP_OK && fd >= 0 &&
			    res->winner < 0) {
				res->winner = idx[i];
				a[idx[i]].result = SP_OK;
				sp_conn_init(out, fd);
				if (m.pumped) {
					res->pump = s->pid;
					s->pid = -1;
				}
				stop_slot(s, 0);
				alive--;
				continue;
			}
			if (fd >= 0)
				close(fd);
			a[idx[i]].result = got == 1 && m.result != SP_OK ?
			    m.result : SP_ERR_INTERNAL;
			if (res->winner < 0) {
				last = a[idx[i]].result;
				sp_info("route %s: %s", a[idx[i]].name,
				    sp_strerror(last));
			}
			stop_slot(s, 0);
			alive--;
			/* A failure starts the next route at once. */
			if (started < n)
				next = sp_clock_ms();
		}
	}
	for (i = 0; i < started; i++)
		if (slots[i].pid > 0 || slots[i].sock >= 0) {
			if (res->winner >= 0 && a[i].result == SP_ERR_INTERNAL)
				a[i].result = SP_ERR_CANCELLED;
			stop_slot(&slots[i], SIGKILL);
		}
	if (res->winner >= 0) {
		sp_info("route %s won", a[res->winner].name);
		return SP_OK;
	}
	return last;
}

/* After the relay: the pump child, if any, has nothing left to do. */
void
sp_race_done(struct sp_race_result *res)
{
	if (res->pump > 0) {
		(void)kill(res->pump, SIGTERM);
		while (waitpid(res->pump, NULL, 0) == -1 && errno == EINTR)
			;
		res->pump = -1;
	}
}
