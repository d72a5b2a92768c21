/*
 * sshproxy-nc: connect to host:port and relay stdio, pass the socket to
 * ssh (-F), or only check that a connection can be made (-z).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "addr.h"
#include "common.h"
#include "conn.h"
#include "dial.h"
#include "err.h"
#include "fdpass.h"
#include "log.h"
#include "nc-opts.h"
#include "relay.h"

static const char *progname = "sshproxy-nc";

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-46FhNnqvz] [-i idle] [-s source] [-w timeout] host port\n"
"       %s [options] host:port | [address]:port\n"
"\n"
"Connect to host:port and relay standard input and output, for ssh's\n"
"ProxyCommand.  Diagnostics go to standard error only.\n"
"\n"
"  -4, --ipv4               use IPv4 addresses only\n"
"  -6, --ipv6               use IPv6 addresses only\n"
"  -F, --fdpass             pass the connected socket to ssh and exit\n"
"                           (ssh_config: ProxyUseFdpass yes)\n"
"  -h, --help               show this help and exit\n"
"  -i, --idle-timeout=SECS  end the tunnel after SECS seconds without data\n"
"  -N, --half-close         on EOF on stdin, shut down the socket's write\n"
"                           side and keep reading (the default)\n"
"      --no-half-close      on EOF on stdin, leave the socket open\n"
"  -n, --numeric            do not resolve names: host must be an address\n"
"  -q, --quiet              print no diagnostics, not even errors\n"
"  -s, --source=ADDR        connect from the local address ADDR\n"
"  -v, --verbose            say more on stderr (repeat for more)\n"
"  -w, --timeout=SECS       give up connecting after SECS seconds\n"
"                           (fractions allowed: 0.5)\n"
"      --he-delay=MS        Happy Eyeballs delay between connection\n"
"                           attempts (default %d ms)\n"
"  -z, --probe              only check that a connection can be made:\n"
"                           exit 0 if so, 1 if not (for Match exec)\n"
"      --version            show the version and exit\n"
"\n"
"Exit status: 0 ok, 1 not reachable (-z) or tunnel broke, 64 usage,\n"
"65 bad host or port, 68 unknown host, 69 refused or unreachable,\n"
"71 system error, 75 timed out.  See sshproxy-nc(1).\n",
	    progname, progname, SP_HE_DELAY_DEFAULT);
}

static int
fail(int r, const char *what)
{
	sp_error("%s: %s", what, sp_strerror(r));
	return sp_err_exit_status(r);
}

int
main(int argc, char *argv[])
{
	struct nc_opts o;
	struct sp_cmd_signals sigs;
	struct sp_relay_stats st;
	struct sp_conn conn;
	char err[512], where[SP_HOST_MAX + 16];
	int r, fd, status, level;

	sp_log_init(progname, SP_LOG_ERROR);
	if ((r = sp_cmd_init()) != SP_OK)
		return fail(r, "start-up");

	if ((status = nc_parse_args(argc, argv, &o, err, sizeof(err))) != 0) {
		if (o.quiet)
			return status;
		sp_error("%s", err);
		if (status == SP_EXIT_USAGE)
			fprintf(stderr, "Try '%s --help' for more "
			    "information.\n", progname);
		return status;
	}
	switch (o.action) {
	case NC_HELP:
		usage(stdout);
		return fflush(stdout) == 0 ? 0 : SP_EXIT_OSERR;
	case NC_VERSION:
		printf("%s (%s) %s\n", progname, PACKAGE_NAME,
		    PACKAGE_VERSION);
		return fflush(stdout) == 0 ? 0 : SP_EXIT_OSERR;
	default:
		break;
	}

	/* A probe is silent unless asked: its answer is the exit status. */
	level = o.quiet ? SP_LOG_QUIET : o.verbose;
	if (o.action == NC_PROBE && o.verbose == 0)
		level = SP_LOG_QUIET;
	sp_log_init(progname, level);
	sp_addr_format(o.dest.host, o.dest.port, where, sizeof(where));

	/* Refuse -F before connecting anywhere if ssh cannot take an fd. */
	if (o.action == NC_FDPASS &&
	    (r = sp_fdpass_check(STDOUT_FILENO)) != SP_OK) {
		sp_error("-F: %s (use it with ProxyUseFdpass yes)",
		    sp_strerror(r));
		return SP_EXIT_USAGE;
	}

	if ((r = sp_dial(o.dest.host, o.dest.port, &o.dial, &fd)) != SP_OK) {
		status = sp_err_exit_status(r);
		if (status == SP_EXIT_USAGE || status == SP_EXIT_DATAERR) {
			/* A typo in ssh_config is not "unreachable". */
			sp_log_init(progname, o.quiet ? SP_LOG_QUIET :
			    SP_LOG_ERROR + o.verbose);
			return fail(r, r == SP_ERR_SOURCE_BAD ?
			    o.dial.source : where);
		}
		if (o.action == NC_PROBE) {
			sp_info("%s: not reachable: %s", where,
			    sp_strerror(r));
			return SP_EXIT_FAIL;
		}
		return fail(r, where);
	}

	switch (o.action) {
	case NC_PROBE:
		sp_info("%s: reachable", where);
		close(fd);
		return SP_EXIT_OK;
	case NC_FDPASS:
		r = sp_fdpass_send(STDOUT_FILENO, fd);
		close(fd);
		return r == SP_OK ? SP_EXIT_OK : fail(r, "-F");
	default:
		break;
	}

	sp_cmd_catch_signals(&sigs);
	o.relay.wait_mask = &sigs.wait_mask;
	o.relay.stop = &sp_cmd_stop;
	sp_conn_init(&conn, fd);
	r = sp_relay(STDIN_FILENO, STDOUT_FILENO, &conn, &o.relay, &st);
	sp_conn_close(&conn);
	sp_debug("%s: %llu bytes sent, %llu received", where,
	    (unsigned long long)st.to_remote,
	    (unsigned long long)st.to_local);
	if (r == SP_ERR_IDLE)
		return fail(r, where);
	if (r != SP_OK) {
		sp_error("%s: %s", where, sp_strerror(r));
		return SP_EXIT_FAIL;
	}
	return sp_cmd_stop_status();
}
