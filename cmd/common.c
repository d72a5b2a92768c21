#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <stdio.h>

#include "common.h"
#include "err.h"
#include "log.h"

volatile sig_atomic_t sp_cmd_stop;

static void
on_stop(int sig)
{
	sp_cmd_stop = sig;
}

/*
 * Process hygiene before anything else: fds 0-2 must exist (or the
 * first socket we open would become "stdout"), and writing to a peer
 * that went away must be an error we report, not a silent death.
 */
int
sp_cmd_init(void)
{
	struct sigaction sa;
	int fd;

	for (;;) {
		if ((fd = open("/dev/null", O_RDWR)) == -1)
			return SP_ERR_ERRNO(errno);
		if (fd > STDERR_FILENO) {
			close(fd);
			break;
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	return SP_OK;
}

/*
 * ssh sends SIGHUP to its ProxyCommand when it exits; SIGTERM and
 * SIGINT mean the same to us.  They are blocked while we work and let
 * through only while the relay waits (ppoll), so a stop request can
 * neither be lost nor interrupt a half-done write.
 */
void
sp_cmd_catch_signals(struct sp_cmd_signals *s)
{
	struct sigaction sa;

	sigemptyset(&s->block_mask);
	sigaddset(&s->block_mask, SIGHUP);
	sigaddset(&s->block_mask, SIGTERM);
	sigaddset(&s->block_mask, SIGINT);
	sigprocmask(SIG_BLOCK, &s->block_mask, &s->wait_mask);
	sigdelset(&s->wait_mask, SIGHUP);
	sigdelset(&s->wait_mask, SIGTERM);
	sigdelset(&s->wait_mask, SIGINT);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/*
 * After a clean stop: SIGHUP is how ssh says goodbye, so it is a
 * success; for the others, die by the same signal so the caller sees
 * what happened.
 */
int
sp_cmd_stop_status(void)
{
	sigset_t set;

	if (sp_cmd_stop == 0 || sp_cmd_stop == SIGHUP)
		return 0;
	signal(sp_cmd_stop, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sp_cmd_stop);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sp_cmd_stop);
	return 128 + sp_cmd_stop;
}

/* A command line we cannot use: say why, and where help is. */
int
sp_cmd_bad_args(const char *prog, int quiet, int status, const char *why)
{
	if (quiet)
		return status;
	sp_error("%s", why);
	if (status == SP_EXIT_USAGE)
		fprintf(stderr, "%s: try '%s --help' for more information\n",
		    prog, prog);
	return status;
}

int
sp_cmd_version(const char *prog)
{
	printf("%s (%s) %s\n", prog, PACKAGE_NAME, PACKAGE_VERSION);
	return fflush(stdout) == 0 ? SP_EXIT_OK : SP_EXIT_OSERR;
}

/* Logging and process hygiene; 0, or the exit status to leave with. */
int
sp_cmd_start(const char *prog)
{
	int r;

	sp_log_init(prog, SP_LOG_ERROR);
	if ((r = sp_cmd_init()) != SP_OK) {
		sp_error("start-up: %s", sp_strerror(r));
		return sp_err_exit_status(r);
	}
	return 0;
}

/* --help on stdout. */
int
sp_cmd_help(void (*usage)(FILE *))
{
	usage(stdout);
	return fflush(stdout) == 0 ? SP_EXIT_OK : SP_EXIT_OSERR;
}
