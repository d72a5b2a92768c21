/*
 * benchrun -- measurement driver for bench/nc-bench.sh
 *
 * Runs ProxyCommand-style relays (nc, ncat, socat, sshproxy-nc, ...) the way
 * ssh runs them: fd 0 and fd 1 are blocking pipes, SIGPIPE at its default,
 * SIGHUP when "ssh" is done.  The local server, the stdin generator and the
 * stdout sink are threads of this process, so every candidate is measured
 * against the same, cheap peers:
 *
 *   server sink:    recv(MSG_TRUNC) (the kernel discards, no copy)
 *   server source:  sendfile(2) from a 1 MiB memfd (no copy)
 *   generator:      write(2) of 64 KiB blocks into the stdin pipe (like ssh)
 *   sink:           read(2) of 128 KiB blocks from the stdout pipe (like ssh)
 *
 * usage:
 *   benchrun relay   -d up|down -b BYTES -r ROUNDS [-w WARMUP] [-p PORT] SPECFILE
 *   benchrun latency -c COUNT [-w WARMUP] [-p PORT] SPECFILE
 *   benchrun cmd     -d up|down|setup -b BYTES -r ROUNDS [-w WARMUP] SPECFILE
 *   benchrun reap    CMD [ARG...]
 *
 * SPECFILE has one candidate per line: name TAB argv0 TAB argv1 ...
 * In relay and latency modes "{port}" inside an argument becomes the port of
 * the server this process listens on at 127.0.0.1 (an ephemeral port, or
 * PORT with -p).  argv0 "-" (relay mode only) means no candidate at all: the
 * driver connects to its own server, which gives the ceiling of the harness.
 * "-" may be followed by "socks5 ADDR PORT" or "connect ADDR PORT" (ADDR an
 * IPv4 literal): then the driver goes through that proxy itself, speaking
 * SOCKS5 (no auth) or HTTP CONNECT to reach its server, which gives the
 * ceiling through that proxy without a client relay.  The handshake is
 * inside the timed interval, as a candidate's is.
 *
 * Candidates are run round-robin: round 1 of every candidate, then round 2,
 * ...; the first candidate of each round rotates.
 *
 * Output, one line each, on stdout:
 *   run MODE DIR NAME ROUND ok=0|1 secs=S cpu=S hwm_kib=K maxrss_kib=K
 *       forced=0|1 bytes=N status=WAITSTATUS drv_cpu=S xfer_mibs=M
 *   sum MODE DIR NAME ok=K/N ...   (medians; see bench/README.md)
 *
 * relay: secs = from just before posix_spawn(3) until the server has counted
 *        BYTES (up) or the sink has read BYTES (down); cpu = user+sys of the
 *        candidate (wait4(2)); hwm_kib = VmHWM of the candidate, read from
 *        /proc at its PTRACE_EVENT_EXIT stop (peak RSS of the program itself,
 *        unlike ru_maxrss which also counts the forked parent before exec).
 *        After that point, like ssh, the driver closes the stdin pipe; a
 *        candidate still running 2 s later gets SIGHUP (forced=1).
 * latency: secs = from just before posix_spawn(3) until the first byte comes
 *        back on the stdout pipe; one byte is waiting in the stdin pipe at
 *        spawn; the server echoes.
 * cmd:   secs = from spawn until the command exits (status 0 required); in
 *        down mode the sink must have read exactly BYTES; "setup" is a label
 *        for up mode (use -b 0 and a command that transfers nothing).
 * xfer_mibs: cmd mode, the steady-state rate without connection setup and
 *        remote start-up: bytes moved after the generator (up) or the sink
 *        (down) passed an eighth of BYTES, divided by the time from then
 *        until the command exits.
 * reap:  run CMD as a child subreaper (for a server such as danted whose
 *        helpers outlive it): SIGTERM, SIGINT and SIGHUP are passed on to
 *        CMD; once CMD has exited, the orphans adopted are reaped, and any
 *        still alive 5 s later are sent SIGKILL.  Exits with CMD's status
 *        (128+N for signal N).
 * drv_cpu: user+sys of this process (server, generator, sink threads) during
 *        the run: what the harness itself spent.
 */

#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define M_RELAY		1
#define M_LATENCY	2
#define M_CMD		3

#define GEN_CHUNK	(64 * 1024)
#define SINK_CHUNK	(128 * 1024)
#define SRC_SIZE	(1024 * 1024)
#define GRACE_MS	2000

extern char **environ;

struct cand {
	char	 *name;
	char	**argv;		/* NULL: harness ceiling (no candidate) */
	char	**via;		/* ceiling through a proxy: TYPE ADDR PORT */
	double	 *secs;
	double	 *xfer;		/* cmd: steady-state MiB/s, see above */
	double	 *cpu;
	double	 *drv;		/* CPU of this process (server, gen, sink) */
	long	 *hwm;
	long	 *maxrss;
	int	 *ok;
	int	 *forced;
	int	  nruns;
};

struct run {
	int		 mode;
	int		 up;
	uint64_t	 bytes;
	char	       **argv;
	int		 lfd;

	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 done;		/* measurement point reached */
	int		 exited;	/* candidate reaped */
	int		 failed;
	volatile int	 stop;
	struct timespec	 t0, tdone;
	struct timespec	 tmark_up;	/* generator passed the mark */
	struct timespec	 tmark_down;	/* sink passed the mark */
	uint64_t	 mark_up, mark_down;	/* bytes moved at the mark */
	pid_t		 pid;
	int		 in_w;		/* our end of the candidate's stdin */
	int		 out_r;		/* our end of the candidate's stdout */
	int		 is_sock;	/* ceiling: in_w/out_r is the socket */
	uint64_t	 srv_count;
	uint64_t	 sink_count;
	int		 forced;
	long		 hwm_kib;
};

static int	 srcfd = -1;		/* memfd with SRC_SIZE bytes */
static char	 genbuf[GEN_CHUNK];
static int	 verbose;

static void
die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("benchrun: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static double
ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void
mark_done(struct run *r, int failed)
{
	pthread_mutex_lock(&r->mu);
	if (!r->done) {
		clock_gettime(CLOCK_MONOTONIC, &r->tdone);
		r->done = 1;
		r->failed = failed;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
}

static uint64_t
parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		die("bad size: %s", s);
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0 || *end == '\0')
		return v;
	die("bad size: %s", s);
}

/* ---- server ---- */

static int
wait_readable(struct run *r, int fd, int ms_total)
{
	struct pollfd pfd;
	int waited = 0, n;

	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!r->stop && (ms_total < 0 || waited < ms_total)) {
		n = poll(&pfd, 1, 100);
		if (n > 0)
			return 1;
		if (n == -1 && errno != EINTR)
			return -1;
		waited += 100;
	}
	return 0;
}

static void *
server_thread(void *arg)
{
	struct run *r = arg;
	char *buf;
	ssize_t n;
	off_t off;
	int c;

	if (wait_readable(r, r->lfd, -1) != 1)
		return NULL;
	if ((c = accept4(r->lfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return NULL;
	/* never touched in sink mode (MSG_TRUNC), so it costs no RSS */
	if ((buf = malloc(SINK_CHUNK * 8)) == NULL)
		die("malloc");

	if (r->mode == M_LATENCY) {
		/* echo until EOF */
		for (;;) {
			if (wait_readable(r, c, -1) != 1)
				break;
			n = read(c, buf, SINK_CHUNK);
			if (n <= 0)
				break;
			if (write(c, buf, n) != n)
				break;
		}
	} else if (r->up) {
		/* discard and count; the kernel drops the data (MSG_TRUNC) */
		for (;;) {
			n = recv(c, buf, SINK_CHUNK * 8, MSG_TRUNC);
			if (n == -1 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			r->srv_count += n;
			if (r->srv_count >= r->bytes) {
				mark_done(r, r->srv_count != r->bytes);
				/* wait (bounded) for the half-close */
				if (wait_readable(r, c, 5000) != 1)
					break;
			}
		}
		if (!r->done)
			mark_done(r, 1);
	} else {
		/* send BYTES, then close */
		uint64_t left = r->bytes;

		while (left > 0 && !r->stop) {
			size_t want;

			off = 0;
			want = left < SRC_SIZE ? left : SRC_SIZE;
			while (want > 0) {
				n = sendfile(c, srcfd, &off, want);
				if (n == -1 && errno == EINTR)
					continue;
				if (n <= 0)
					goto out;
				want -= n;
				left -= n;
			}
		}
	}
 out:
	close(c);
	free(buf);
	return NULL;
}

/* ---- generator and sink ---- */

static void *
gen_thread(void *arg)
{
	struct run *r = arg;
	uint64_t left = r->bytes, thresh;
	ssize_t n;
	int cap;

	/*
	 * The steady-state mark: an eighth of the bytes, and at least more
	 * than the pipe holds (so the reader has surely started reading).
	 */
	cap = r->is_sock ? 0 : fcntl(r->in_w, F_GETPIPE_SZ);
	thresh = (cap > 0 ? (uint64_t)cap : 65536) + GEN_CHUNK;
	if (thresh < r->bytes / 8)
		thresh = r->bytes / 8;
	while (left > 0) {
		n = write(r->in_w, genbuf,
		    left < GEN_CHUNK ? (size_t)left : GEN_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		left -= n;
		if (r->mark_up == 0 && r->bytes - left >= thresh) {
			clock_gettime(CLOCK_MONOTONIC, &r->tmark_up);
			r->mark_up = r->bytes - left;
		}
	}
	if (r->is_sock)
		shutdown(r->in_w, SHUT_WR);
	else {
		close(r->in_w);
		r->in_w = -1;
	}
	return NULL;
}

static void *
sink_thread(void *arg)
{
	struct run *r = arg;
	char *buf;
	ssize_t n;

	if ((buf = malloc(SINK_CHUNK)) == NULL)
		die("malloc");
	for (;;) {
		n = read(r->out_r, buf, SINK_CHUNK);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r->sink_count += n;
		if (r->mark_down == 0 && r->sink_count >= r->bytes / 8 &&
		    r->sink_count > 0) {
			clock_gettime(CLOCK_MONOTONIC, &r->tmark_down);
			r->mark_down = r->sink_count;
		}
		if (r->mode == M_RELAY && !r->up &&
		    r->sink_count >= r->bytes)
			mark_done(r, r->sink_count != r->bytes);
	}
	free(buf);
	return NULL;
}

/*
 * Watchdog: after the measurement point close stdin (ssh would exit and do
 * that); if the candidate is still alive GRACE_MS later send SIGHUP (what
 * ssh sends), then SIGKILL.  Without a measurement point by the deadline:
 * SIGKILL.
 */
static void *
watchdog_thread(void *arg)
{
	struct run *r = arg;
	struct timespec dl;
	long limit_ms;

	/* generous: 20 MiB/s worst case plus 10 s */
	limit_ms = 10000 + (long)(r->bytes / (20 * 1024 * 1024)) * 1000;
	if (r->mode == M_LATENCY)
		limit_ms = 5000;
	deadline_in(&dl, limit_ms);

	pthread_mutex_lock(&r->mu);
	while (!r->done && !r->exited)
		if (pthread_cond_timedwait(&r->cv, &r->mu, &dl) == ETIMEDOUT)
			break;
	if (!r->done && !r->exited) {
		r->done = 1;
		r->failed = 1;
		clock_gettime(CLOCK_MONOTONIC, &r->tdone);
		if (r->pid > 0)
			kill(r->pid, SIGKILL);
		r->stop = 1;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		return NULL;
	}
	if (r->mode == M_CMD || r->pid <= 0) {
		pthread_mutex_unlock(&r->mu);
		return NULL;
	}
	/* measurement done: close stdin like ssh exiting would */
	if ((r->mode == M_LATENCY || !r->up) && r->in_w != -1) {
		close(r->in_w);
		r->in_w = -1;
	}
	deadline_in(&dl, GRACE_MS);
	while (!r->exited)
		if (pthread_cond_timedwait(&r->cv, &r->mu, &dl) == ETIMEDOUT)
			break;
	if (!r->exited) {
		r->forced = 1;
		kill(r->pid, SIGHUP);
		deadline_in(&dl, GRACE_MS);
		while (!r->exited)
			if (pthread_cond_timedwait(&r->cv, &r->mu, &dl) ==
			    ETIMEDOUT)
				break;
		if (!r->exited)
			kill(r->pid, SIGKILL);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* ---- one run ---- */

static double
self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long
read_hwm(pid_t pid)
{
	char path[64], line[256];
	FILE *f;
	long kib = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmHWM:", 6) == 0) {
			kib = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return kib;
}

static char **
expand_argv(char **argv, int port)
{
	char **out, *p, pbuf[16];
	size_t n, i;

	snprintf(pbuf, sizeof(pbuf), "%d", port);
	for (n = 0; argv[n] != NULL; n++)
		;
	if ((out = calloc(n + 1, sizeof(*out))) == NULL)
		die("calloc");
	for (i = 0; i < n; i++) {
		if ((p = strstr(argv[i], "{port}")) == NULL) {
			out[i] = strdup(argv[i]);
			continue;
		}
		if (asprintf(&out[i], "%.*s%s%s", (int)(p - argv[i]), argv[i],
		    pbuf, p + 6) == -1)
			die("asprintf");
	}
	return out;
}

static int
local_port(int lfd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(lfd, (struct sockaddr *)&sin, &len) == -1)
		die("getsockname: %s", strerror(errno));
	return ntohs(sin.sin_port);
}

static int
listen_local(int port)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 64) == -1)
		die("bind/listen: %s", strerror(errno));
	return fd;
}

static int
connect_local(int port)
{
	struct sockaddr_in sin;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		die("connect: %s", strerror(errno));
	return fd;
}

static int
write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t k;

	while (n > 0) {
		k = write(fd, p, n);
		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

static int
read_full(int fd, void *buf, size_t n)
{
	char *p = buf;
	ssize_t k;

	while (n > 0) {
		k = read(fd, p, n);
		if (k == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

/*
 * Ceiling through a proxy: connect to via = { "socks5"|"connect", ADDR,
 * PORT } and ask it for 127.0.0.1:port.  Returns the tunnel socket, or -1
 * (with a message on stderr).  Blocking, with 5 s socket timeouts during
 * the handshake only.
 */
static int
proxy_connect(char **via, int port)
{
	struct sockaddr_in sin;
	struct timeval tv = { 5, 0 }, tv0 = { 0, 0 };
	unsigned char b[512];
	char req[256];
	const char *why = "handshake failed";
	int fd, n, len;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (via[1] == NULL || via[2] == NULL ||
	    inet_pton(AF_INET, via[1], &sin.sin_addr) != 1)
		die("bad proxy ceiling spec (want TYPE ADDR PORT)");
	sin.sin_port = htons(atoi(via[2]));
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		why = "connect to the proxy failed";
		goto fail;
	}
	if (strcmp(via[0], "socks5") == 0) {
		unsigned char cr[10] = { 5, 1, 0, 1, 127, 0, 0, 1,
		    (unsigned char)(port >> 8), (unsigned char)port };

		if (write_full(fd, "\5\1\0", 3) == -1 ||
		    read_full(fd, b, 2) == -1 || b[0] != 5 || b[1] != 0)
			goto fail;
		if (write_full(fd, cr, sizeof(cr)) == -1 ||
		    read_full(fd, b, 4) == -1 || b[0] != 5 || b[1] != 0)
			goto fail;
		switch (b[3]) {
		case 1:
			len = 4 + 2;
			break;
		case 4:
			len = 16 + 2;
			break;
		case 3:
			if (read_full(fd, b, 1) == -1)
				goto fail;
			len = b[0] + 2;
			break;
		default:
			goto fail;
		}
		if (read_full(fd, b, len) == -1)
			goto fail;
	} else if (strcmp(via[0], "connect") == 0) {
		len = snprintf(req, sizeof(req), "CONNECT 127.0.0.1:%d "
		    "HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", port, port);
		if (write_full(fd, req, len) == -1)
			goto fail;
		/* one byte at a time: nothing of the tunnel may be read here */
		for (n = 0; n < (int)sizeof(b) - 1; n++) {
			if (read_full(fd, b + n, 1) == -1)
				goto fail;
			if (n >= 3 && memcmp(b + n - 3, "\r\n\r\n", 4) == 0)
				break;
		}
		b[n < (int)sizeof(b) - 1 ? n + 1 : n] = '\0';
		if (n == (int)sizeof(b) - 1 ||
		    strncmp((char *)b, "HTTP/1.", 7) != 0 ||
		    strncmp((char *)b + 8, " 200", 4) != 0)
			goto fail;
	} else
		die("unknown proxy type %s (socks5 or connect)", via[0]);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv0, sizeof(tv0));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv0, sizeof(tv0));
	return fd;
 fail:
	fprintf(stderr, "benchrun: %s %s:%s: %s\n", via[0], via[1], via[2],
	    why);
	close(fd);
	return -1;
}

/* reap pid, following ptrace stops when traced; returns wait status */
static int
reap(struct run *r, int traced, struct rusage *ru)
{
	int st, ev;

	for (;;) {
		if (wait4(r->pid, &st, __WALL, ru) == -1) {
			if (errno == EINTR)
				continue;
			die("wait4: %s", strerror(errno));
		}
		if (!traced || !WIFSTOPPED(st))
			return st;
		ev = (unsigned)st >> 16;
		if (ev == PTRACE_EVENT_EXIT) {
			r->hwm_kib = read_hwm(r->pid);
			ptrace(PTRACE_CONT, r->pid, 0, 0);
		} else if (ev != 0)
			ptrace(PTRACE_CONT, r->pid, 0, 0);
		else
			ptrace(PTRACE_CONT, r->pid, 0,
			    (void *)(long)WSTOPSIG(st));
	}
}

static void
run_one(struct cand *c, int round, int mode, int up, uint64_t bytes, int lfd,
    const char *dirname)
{
	struct run r;
	struct rusage ru;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	pthread_condattr_t ca;
	sigset_t sigs;
	pthread_t ts, tg, tk, tw;
	int have_s = 0, have_g = 0, have_k = 0;
	int inp[2] = { -1, -1 }, outp[2] = { -1, -1 };
	int st = 0, traced = 0, ok, e, sock = -1;
	double cpu = 0, drv0;
	char **argv = NULL;
	const char *mname;

	memset(&r, 0, sizeof(r));
	memset(&ru, 0, sizeof(ru));
	drv0 = self_cpu();
	pthread_mutex_init(&r.mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r.cv, &ca);
	pthread_condattr_destroy(&ca);
	r.mode = mode;
	r.up = up;
	r.bytes = mode == M_LATENCY ? 1 : bytes;
	r.lfd = lfd;
	r.in_w = r.out_r = -1;
	r.hwm_kib = -1;
	r.pid = -1;

	if (mode != M_CMD) {
		if (pthread_create(&ts, NULL, server_thread, &r) != 0)
			die("pthread_create");
		have_s = 1;
	}

	if (c->argv == NULL) {
		/* harness ceiling: no candidate, talk to the server directly */
		r.is_sock = 1;
		clock_gettime(CLOCK_MONOTONIC, &r.t0);
		if (c->via != NULL)
			sock = proxy_connect(c->via, local_port(lfd));
		else
			sock = connect_local(local_port(lfd));
		if (sock == -1)
			mark_done(&r, 1);
		else if (up)
			r.in_w = sock;
		else
			r.out_r = sock;
	} else {
		argv = mode == M_CMD ? c->argv :
		    expand_argv(c->argv, local_port(lfd));
		if (mode == M_CMD && !up) {
			if ((inp[0] = open("/dev/null", O_RDONLY | O_CLOEXEC))
			    == -1)
				die("/dev/null: %s", strerror(errno));
		} else if (pipe2(inp, O_CLOEXEC) == -1)
			die("pipe: %s", strerror(errno));
		if (pipe2(outp, O_CLOEXEC) == -1)
			die("pipe: %s", strerror(errno));
		r.in_w = inp[1];
		r.out_r = outp[0];
		if (mode == M_LATENCY && write(r.in_w, "x", 1) != 1)
			die("write: %s", strerror(errno));

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, inp[0], 0);
		posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
		posix_spawnattr_init(&sa);
		sigemptyset(&sigs);
		posix_spawnattr_setsigmask(&sa, &sigs);
		sigaddset(&sigs, SIGPIPE);
		sigaddset(&sigs, SIGHUP);
		posix_spawnattr_setsigdefault(&sa, &sigs);
		posix_spawnattr_setflags(&sa,
		    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

		clock_gettime(CLOCK_MONOTONIC, &r.t0);
		e = posix_spawn(&r.pid, argv[0], &fa, &sa, argv, environ);
		if (e != 0)
			die("%s: %s", argv[0], strerror(e));
		if (mode == M_RELAY && ptrace(PTRACE_SEIZE, r.pid, 0,
		    (void *)(long)PTRACE_O_TRACEEXIT) == 0)
			traced = 1;
		posix_spawn_file_actions_destroy(&fa);
		posix_spawnattr_destroy(&sa);
		close(inp[0]);
		close(outp[1]);
	}

	if (r.in_w != -1 && (mode == M_RELAY || mode == M_CMD) && up) {
		if (pthread_create(&tg, NULL, gen_thread, &r) != 0)
			die("pthread_create");
		have_g = 1;
	}
	if (r.out_r != -1 && mode != M_LATENCY) {
		if (pthread_create(&tk, NULL, sink_thread, &r) != 0)
			die("pthread_create");
		have_k = 1;
	}
	if (pthread_create(&tw, NULL, watchdog_thread, &r) != 0)
		die("pthread_create");

	if (mode == M_LATENCY) {
		char ch;
		struct pollfd pfd = { r.out_r, POLLIN, 0 };

		if (poll(&pfd, 1, 5000) == 1 && read(r.out_r, &ch, 1) == 1)
			mark_done(&r, 0);
		else
			mark_done(&r, 1);
	}

	if (r.pid > 0) {
		st = reap(&r, traced, &ru);
		pthread_mutex_lock(&r.mu);
		r.exited = 1;
		if (mode == M_CMD && !r.done) {
			clock_gettime(CLOCK_MONOTONIC, &r.tdone);
			r.done = 1;
		}
		pthread_cond_broadcast(&r.cv);
		pthread_mutex_unlock(&r.mu);
		cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	} else {
		/* ceiling: wait for the measurement point */
		pthread_mutex_lock(&r.mu);
		while (!r.done)
			pthread_cond_wait(&r.cv, &r.mu);
		r.exited = 1;
		pthread_cond_broadcast(&r.cv);
		pthread_mutex_unlock(&r.mu);
	}
	r.stop = 1;

	pthread_join(tw, NULL);
	if (have_g)
		pthread_join(tg, NULL);
	if (r.is_sock && !up)
		shutdown(sock, SHUT_RDWR);
	if (have_k)
		pthread_join(tk, NULL);
	if (have_s)
		pthread_join(ts, NULL);
	if (sock != -1)
		close(sock);
	else {
		if (r.in_w != -1)
			close(r.in_w);
		if (r.out_r != -1)
			close(r.out_r);
	}

	ok = r.done && !r.failed;
	if (mode == M_CMD) {
		ok = ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		if (!up)
			ok = ok && r.sink_count == r.bytes;
	}
	if (mode == M_RELAY && c->argv != NULL)
		ok = ok && (up ? r.srv_count == r.bytes :
		    r.sink_count == r.bytes);

	c->secs[round] = ts_diff(&r.t0, &r.tdone);
	c->xfer[round] = -1;
	if (up && r.mark_up > 0 && r.mark_up < r.bytes)
		c->xfer[round] = (double)(r.bytes - r.mark_up) / 1048576.0 /
		    ts_diff(&r.tmark_up, &r.tdone);
	else if (!up && r.mark_down > 0 && r.mark_down < r.bytes)
		c->xfer[round] = (double)(r.bytes - r.mark_down) / 1048576.0 /
		    ts_diff(&r.tmark_down, &r.tdone);
	c->cpu[round] = cpu;
	c->drv[round] = self_cpu() - drv0;
	c->hwm[round] = r.hwm_kib;
	c->maxrss[round] = ru.ru_maxrss;
	c->ok[round] = ok;
	c->forced[round] = r.forced;

	mname = mode == M_RELAY ? "relay" : mode == M_LATENCY ? "latency" :
	    "cmd";
	if (verbose || mode != M_LATENCY)
		printf("run %s %s %s %d ok=%d secs=%.6f cpu=%.3f hwm_kib=%ld "
		    "maxrss_kib=%ld forced=%d bytes=%llu status=%d "
		    "drv_cpu=%.3f xfer_mibs=%.1f\n", mname,
		    dirname, c->name, round, ok, c->secs[round], cpu,
		    r.hwm_kib, ru.ru_maxrss, r.forced,
		    (unsigned long long)(mode == M_RELAY && up ? r.srv_count :
		    r.sink_count), st, c->drv[round], c->xfer[round]);
	fflush(stdout);

	if (argv != NULL && argv != c->argv) {
		for (e = 0; argv[e] != NULL; e++)
			free(argv[e]);
		free(argv);
	}
	pthread_mutex_destroy(&r.mu);
	pthread_cond_destroy(&r.cv);
}

/* ---- statistics ---- */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* nearest-rank percentile of the ok runs */
static double
pct(const double *v, const int *ok, int n, double p)
{
	double *t;
	int i, k = 0, idx;
	double res;

	if ((t = calloc(n + 1, sizeof(*t))) == NULL)
		die("calloc");
	for (i = 0; i < n; i++)
		if (ok[i])
			t[k++] = v[i];
	if (k == 0) {
		free(t);
		return -1;
	}
	qsort(t, k, sizeof(*t), cmp_double);
	if (p == 50 && k % 2 == 0)
		res = (t[k / 2 - 1] + t[k / 2]) / 2;
	else {
		idx = (int)(p / 100.0 * k + 0.999999) - 1;
		if (idx < 0)
			idx = 0;
		if (idx >= k)
			idx = k - 1;
		res = t[idx];
	}
	free(t);
	return res;
}

static struct cand *
read_spec(const char *path, int *ncand)
{
	FILE *f;
	char *line = NULL, *p, *tok;
	size_t cap = 0;
	struct cand *cs = NULL;
	int n = 0, argc;

	if ((f = fopen(path, "re")) == NULL)
		die("%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) != -1) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((cs = realloc(cs, (n + 1) * sizeof(*cs))) == NULL)
			die("realloc");
		memset(&cs[n], 0, sizeof(cs[n]));
		p = line;
		tok = strsep(&p, "\t");
		cs[n].name = strdup(tok);
		argc = 0;
		while ((tok = strsep(&p, "\t")) != NULL) {
			cs[n].argv = realloc(cs[n].argv,
			    (argc + 2) * sizeof(char *));
			if (cs[n].argv == NULL)
				die("realloc");
			cs[n].argv[argc++] = strdup(tok);
			cs[n].argv[argc] = NULL;
		}
		if (argc == 0)
			die("%s: no command for %s", path, cs[n].name);
		if (strcmp(cs[n].argv[0], "-") == 0) {
			/* ceiling, possibly through a proxy */
			if (cs[n].argv[1] != NULL)
				cs[n].via = cs[n].argv + 1;
			cs[n].argv = NULL;
		}
		n++;
	}
	free(line);
	fclose(f);
	*ncand = n;
	return cs;
}

/* ---- reap mode ---- */

/* SIGKILL every process whose parent is this one (orphans we adopted) */
static void
kill_children(void)
{
	char path[64], line[256], *p;
	struct dirent *de;
	long pid, ppid;
	DIR *d;
	FILE *f;

	if ((d = opendir("/proc")) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &p, 10);
		if (pid <= 0 || *p != '\0')
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		/* "pid (comm) state ppid ...": comm may hold spaces */
		p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		fclose(f);
		if (p != NULL && sscanf(p, ") %*c %ld", &ppid) == 1 &&
		    ppid == (long)getpid())
			kill((pid_t)pid, SIGKILL);
	}
	closedir(d);
}

static int
reap_main(char **cmd)
{
	sigset_t sigs;
	siginfo_t si;
	struct timespec tick = { 0, 100000000L }, now, dl = { 0, 0 };
	pid_t pid, p;
	int st, status = 0, cmd_done = 0, killed = 0, sig;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == -1)
		fprintf(stderr, "benchrun: reap: PR_SET_CHILD_SUBREAPER: %s\n",
		    strerror(errno));
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	if ((pid = fork()) == -1)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &sigs, NULL);
		execvp(cmd[0], cmd);
		fprintf(stderr, "benchrun: reap: %s: %s\n", cmd[0],
		    strerror(errno));
		_exit(127);
	}
	for (;;) {
		sig = sigtimedwait(&sigs, &si, &tick);
		if ((sig == SIGTERM || sig == SIGINT || sig == SIGHUP) &&
		    !cmd_done)
			kill(pid, sig);
		while ((p = waitpid(-1, &st, WNOHANG)) > 0)
			if (p == pid) {
				cmd_done = 1;
				status = WIFEXITED(st) ? WEXITSTATUS(st) :
				    128 + WTERMSIG(st);
				/* orphans get 5 s to follow */
				deadline_in(&dl, 5000);
			}
		if (p == -1 && errno == ECHILD)
			return status;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (cmd_done && killed < 3 && ts_diff(&dl, &now) > 0) {
			kill_children();
			killed++;
			deadline_in(&dl, 1000);
		} else if (killed >= 3 && ts_diff(&dl, &now) > 0)
			return status;	/* unkillable: give up */
	}
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: benchrun relay|cmd -d up|down -b BYTES -r ROUNDS "
	    "[-w WARMUP] [-p PORT] [-v] SPECFILE\n"
	    "       benchrun latency -c COUNT [-w WARMUP] [-p PORT] [-v] "
	    "SPECFILE\n"
	    "       benchrun reap CMD [ARG...]\n");
	exit(64);
}

int
main(int argc, char *argv[])
{
	struct cand *cs;
	const char *dirname = "-";
	uint64_t bytes = 1ULL << 30;
	int mode, up = 1, rounds = 5, warmup = 1, ncand, i, j, k, ch, lfd = -1;
	int nok, forced, port = 0;
	long hwm, mrss;
	char *buf;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "reap") == 0) {
		if (argc < 3)
			usage();
		return reap_main(argv + 2);
	}
	if (strcmp(argv[1], "relay") == 0)
		mode = M_RELAY;
	else if (strcmp(argv[1], "latency") == 0) {
		mode = M_LATENCY;
		rounds = 300;
		warmup = 5;
	} else if (strcmp(argv[1], "cmd") == 0)
		mode = M_CMD;
	else
		usage();
	argc--;
	argv++;
	while ((ch = getopt(argc, argv, "b:c:d:p:r:vw:")) != -1) {
		switch (ch) {
		case 'b':
			bytes = parse_size(optarg);
			break;
		case 'c':
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'd':
			if (strcmp(optarg, "up") == 0)
				up = 1;
			else if (strcmp(optarg, "down") == 0)
				up = 0;
			else if (strcmp(optarg, "setup") == 0 && mode == M_CMD)
				up = 1;		/* label only: cmd with -b 0 */
			else
				usage();
			dirname = optarg;
			break;
		case 'p':
			port = atoi(optarg);
			if (port < 1 || port > 65535)
				usage();
			break;
		case 'v':
			verbose = 1;
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1 || rounds < 1 || rounds > 100000 || warmup < 0)
		usage();
	if (mode == M_LATENCY)
		dirname = "echo";

	signal(SIGPIPE, SIG_IGN);
	memset(genbuf, 'g', sizeof(genbuf));
	for (i = 0; i < GEN_CHUNK; i += 64)
		genbuf[i] = (char)i;
	if ((srcfd = memfd_create("benchsrc", MFD_CLOEXEC)) == -1)
		die("memfd_create: %s", strerror(errno));
	if ((buf = malloc(SRC_SIZE)) == NULL)
		die("malloc");
	memset(buf, 's', SRC_SIZE);
	if (write(srcfd, buf, SRC_SIZE) != SRC_SIZE)
		die("memfd write: %s", strerror(errno));
	free(buf);

	cs = read_spec(argv[0], &ncand);
	if (ncand == 0)
		die("no candidates");
	for (i = 0; i < ncand; i++) {
		k = rounds > warmup ? rounds : warmup;
		cs[i].secs = calloc(k, sizeof(double));
		cs[i].xfer = calloc(k, sizeof(double));
		cs[i].cpu = calloc(k, sizeof(double));
		cs[i].drv = calloc(k, sizeof(double));
		cs[i].hwm = calloc(k, sizeof(long));
		cs[i].maxrss = calloc(k, sizeof(long));
		cs[i].ok = calloc(k, sizeof(int));
		cs[i].forced = calloc(k, sizeof(int));
		if (!cs[i].secs || !cs[i].xfer || !cs[i].cpu || !cs[i].drv ||
		    !cs[i].hwm ||
		    !cs[i].maxrss || !cs[i].ok || !cs[i].forced)
			die("calloc");
	}
	if (mode != M_CMD)
		lfd = listen_local(port);

	/* warm-up (page cache, dynamic linker caches), not counted */
	for (j = 0; j < warmup; j++)
		for (i = 0; i < ncand; i++)
			run_one(&cs[i], j, mode, up,
			    mode == M_LATENCY ? 1 : bytes / 16 + 1, lfd,
			    "warmup");

	/* round-robin, rotating the first candidate each round */
	for (j = 0; j < rounds; j++)
		for (k = 0; k < ncand; k++) {
			i = (j + k) % ncand;
			run_one(&cs[i], j, mode, up, bytes, lfd, dirname);
		}

	for (i = 0; i < ncand; i++) {
		struct cand *c = &cs[i];
		double *mibs = calloc(rounds, sizeof(double));
		double *cpg = calloc(rounds, sizeof(double));
		double *dpg = calloc(rounds, sizeof(double));

		if (mibs == NULL || cpg == NULL || dpg == NULL)
			die("calloc");

		nok = forced = 0;
		hwm = mrss = -1;
		for (j = 0; j < rounds; j++) {
			nok += c->ok[j];
			forced += c->forced[j];
			if (c->ok[j] && c->hwm[j] > hwm)
				hwm = c->hwm[j];
			if (c->ok[j] && c->maxrss[j] > mrss)
				mrss = c->maxrss[j];
			mibs[j] = c->secs[j] > 0 ?
			    (double)bytes / c->secs[j] / 1048576.0 : 0;
			cpg[j] = c->cpu[j] / ((double)bytes / 1073741824.0);
			dpg[j] = c->drv[j] / ((double)bytes / 1073741824.0);
		}
		if (mode == M_RELAY)
			printf("sum relay %s %s ok=%d/%d mibs=%.1f secs=%.4f "
			    "cpu_per_gib=%.3f hwm_kib=%ld maxrss_kib=%ld "
			    "forced=%d drv_cpu_per_gib=%.3f\n", dirname,
			    c->name, nok, rounds,
			    pct(mibs, c->ok, rounds, 50),
			    pct(c->secs, c->ok, rounds, 50),
			    c->argv == NULL ? -1.0 : pct(cpg, c->ok, rounds, 50),
			    hwm, mrss, forced, pct(dpg, c->ok, rounds, 50));
		else if (mode == M_LATENCY)
			printf("sum latency echo %s ok=%d/%d p50_ms=%.3f "
			    "p90_ms=%.3f min_ms=%.3f forced=%d\n", c->name,
			    nok, rounds, pct(c->secs, c->ok, rounds, 50) * 1e3,
			    pct(c->secs, c->ok, rounds, 90) * 1e3,
			    pct(c->secs, c->ok, rounds, 0) * 1e3, forced);
		else {
			printf("sum cmd %s %s ok=%d/%d secs=%.4f mibs=%.1f "
			    "xfer_mibs=%.1f\n", dirname, c->name, nok, rounds,
			    pct(c->secs, c->ok, rounds, 50),
			    pct(mibs, c->ok, rounds, 50),
			    pct(c->xfer, c->ok, rounds, 50));
		}
	}
	return 0;
}
