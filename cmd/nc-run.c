/*
 * What sshproxy-nc and sshproxy-socks do once their options are parsed:
 * open the route, then probe, pass the socket, or relay.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "common.h"
#include "conn.h"
#include "err.h"
#include "fdpass.h"
#include "log.h"
#include "nc-opts.h"
#include "proxy.h"
#include "relay.h"
#include "secret.h"
#include "tunnel.h"

/* Does this hop want a password we have not got yet? */
static int
needs_password(const struct sp_proxy *h)
{
	return h->user[0] != '\0' && h->password == NULL && !h->isolation &&
	    h->type != SP_PROXY_SOCKS4 && h->type != SP_PROXY_SOCKS4A;
}

static int
ask_password(struct sp_proxy *h, void *arg)
{
	char prompt[SP_HOST_MAX + SP_USER_MAX + 64];

	(void)arg;
	snprintf(prompt, sizeof(prompt), "Password for proxy %s@%s: ",
	    h->user, h->path[0] != '\0' ? h->path : h->host);
	return sp_secret_ask(prompt, &h->password);
}

/*
 * Passwords for hops that have a user: from a file or an environment
 * variable when one is given, else asked for (SSH_ASKPASS or the
 * terminal): for SOCKS5 only if the proxy asks, for HTTP before
 * connecting, since libcurl wants it up front.  A probe never asks
 * (Match exec has no one to answer).  Returns an exit status.
 */
static int
get_passwords(struct nc_opts *o, int may_ask)
{
	char *pw = NULL;
	const char *var;
	int i, r = SP_OK, need = 0;

	for (i = 0; i < o->route.nhops; i++)
		need |= needs_password(&o->route.hops[i]);
	if (!need)
		return 0;
	var = o->password_env != NULL ? o->password_env :
	    "SSHPROXY_PROXY_PASSWORD";
	if (o->password_file != NULL) {
		if ((r = sp_secret_from_file(o->password_file, &pw)) != SP_OK) {
			sp_error("%s: %s", o->password_file,
			    r == SP_ERR_INVALID_ARG ? "not a regular file "
			    "holding a password" : sp_strerror(r));
			return sp_err_exit_status(r);
		}
	} else if ((r = sp_secret_from_env(var, &pw)) == SP_OK) {
		/* Children (SSH_ASKPASS) need not see it. */
		(void)unsetenv(var);
	} else if (o->password_env != NULL) {
		sp_error("--proxy-password-env: %s is not set", var);
		return sp_err_exit_status(r);
	}
	r = SP_OK;
	for (i = 0; i < o->route.nhops; i++) {
		struct sp_proxy *h = &o->route.hops[i];

		if (!needs_password(h))
			continue;
		if (pw != NULL) {
			if ((h->password = strdup(pw)) == NULL)
				r = SP_ERR_NOMEM;
		} else if (may_ask && sp_proxy_is_socks(h->type) &&
		    !(i + 1 < o->route.nhops &&
		    !sp_proxy_is_socks(o->route.hops[i + 1].type)))
			h->ask_password = ask_password;	/* if it asks */
		else if (may_ask)
			/* HTTP, or libcurl's pre-proxy: wanted up front. */
			(void)ask_password(h, NULL);
	}
	sp_secret_free(pw);
	return r == SP_OK ? 0 : sp_err_exit_status(r);
}

/* --proxy-env: all_proxy unless no_proxy names the destination. */
static int
proxy_from_env(struct nc_opts *o)
{
	const char *url, *no;
	int r;

	if (o->route.nhops > 0)
		return SP_OK;		/* -x wins, and is never bypassed */
	if ((url = getenv("all_proxy")) == NULL || *url == '\0')
		url = getenv("ALL_PROXY");
	if (url == NULL || *url == '\0')
		return SP_OK;
	if ((no = getenv("no_proxy")) == NULL)
		no = getenv("NO_PROXY");
	if (sp_no_proxy_match(no, o->dest.host)) {
		sp_info("%s is in no_proxy: going direct", o->dest.host);
		return SP_OK;
	}
	if ((r = sp_proxy_parse(url, SP_PROXY_NONE, &o->route.hops[0])) !=
	    SP_OK) {
		if (r == SP_ERR_PROXY_PASSWORD) {
			sp_error("all_proxy: passwords in proxy URLs are refused "
			    "(use --proxy-password-file or "
			    "--proxy-password-env)");
			return SP_ERR_PROXY_URL;
		}
		sp_error("all_proxy: %s", sp_strerror(r));
		return r;
	}
	if (o->route.hops[0].user[0] == '\0' && o->proxy_user != NULL)
		snprintf(o->route.hops[0].user, sizeof(o->route.hops[0].user),
		    "%s", o->proxy_user);
	o->route.nhops = 1;
	return SP_OK;
}

static int
fail(int r, const char *what)
{
	sp_error("%s: %s", what, sp_strerror(r));
	return sp_err_exit_status(r);
}

/* Where a hop listens, for messages: "127.0.0.1:9050" or a path. */
static void
hop_where(const struct sp_proxy *p, char *buf, size_t len)
{
	if (p->path[0] != '\0')
		snprintf(buf, len, "%s", p->path);
	else
		sp_addr_format(p->host, p->port, buf, len);
}

/* Tell a refused first hop apart: "tor is not running on ...". */
static void
report(const struct nc_opts *o, int r, const char *where,
    const char *also)
{
	char hop[SP_HOST_MAX + SP_PROXY_PATH_MAX + 16];

	if (r == SP_ERR_ERRNO(ECONNREFUSED) && o->route.nhops > 0) {
		hop_where(&o->first, hop, sizeof(hop));
		if (o->proxy_label != NULL)
			sp_error("%s is not running on %s%s%s", o->proxy_label,
			    hop, also[0] != '\0' ? " nor on " : "", also);
		else
			sp_error("%s: %s (is the proxy running?)", where,
			    sp_strerror(r));
		return;
	}
	if (r == SP_ERR_PROXY_DENIED && o->first.isolation)
		sp_error("%s: %s (it does not take username/password: try "
		    "--isolate=none)", where, sp_strerror(r));
	else
		sp_error("%s: %s", where, sp_strerror(r));
}

int
nc_run(struct nc_opts *o, const char *progname)
{
	struct sp_cmd_signals sigs;
	struct sp_relay_stats st;
	struct sp_conn conn;
	char where[2 * SP_HOST_MAX + SP_PROXY_PATH_MAX + 64];
	char also[SP_HOST_MAX + SP_PROXY_PATH_MAX + 16] = "";
	int r, status, level;

	/* A probe is silent unless asked: its answer is the exit status. */
	level = o->quiet ? SP_LOG_QUIET : o->verbose;
	if (o->action == NC_PROBE && o->verbose == 0)
		level = SP_LOG_QUIET;
	sp_log_init(progname, level);
	sp_addr_format(o->dest.host, o->dest.port, where, sizeof(where));

	/* Refuse -F before connecting anywhere if ssh cannot take an fd. */
	if (o->action == NC_FDPASS &&
	    (r = sp_fdpass_check(STDOUT_FILENO)) != SP_OK) {
		sp_error("-F: %s (use it with ProxyUseFdpass yes)",
		    sp_strerror(r));
		return SP_EXIT_USAGE;
	}

	if (o->proxy_env && (r = proxy_from_env(o)) != SP_OK)
		return sp_err_exit_status(r);
	if (o->action == NC_FDPASS)
		for (r = 0; r < o->route.nhops; r++)
			if (o->route.hops[r].type == SP_PROXY_HTTPS) {
				sp_error("-F cannot be used through an https:// "
				    "proxy: its TLS stays in this process "
				    "(drop -F and ProxyUseFdpass)");
				return SP_EXIT_USAGE;
			}
	if ((r = sp_route_check(&o->route)) != SP_OK) {
		sp_error("%s", sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if ((status = get_passwords(o, o->action != NC_PROBE)) != 0)
		return status;
	if (o->route.nhops > 0) {
		char hop[SP_HOST_MAX + SP_USER_MAX + SP_PROXY_PATH_MAX + 32];

		o->first = o->route.hops[0];
		o->first.password = NULL;

		sp_proxy_describe(&o->route.hops[0], hop, sizeof(hop));
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
		    " via %s", hop);
	}

	r = sp_tunnel_open(&o->route, o->dest.host, o->dest.port, &o->dial,
	    &o->http, &conn);
	if (r == SP_ERR_ERRNO(ECONNREFUSED) && o->fallback.type !=
	    SP_PROXY_NONE) {
		/* Nothing on the default port: try the other default. */
		hop_where(&o->fallback, also, sizeof(also));
		sp_info("nothing listens there; trying %s", also);
		sp_proxy_clear(&o->route.hops[0]);
		o->route.hops[0] = o->fallback;
		memset(&o->fallback, 0, sizeof(o->fallback));
		sp_addr_format(o->dest.host, o->dest.port, where,
		    sizeof(where));
		r = sp_tunnel_open(&o->route, o->dest.host, o->dest.port,
		    &o->dial, &o->http, &conn);
		if (r != SP_ERR_ERRNO(ECONNREFUSED))
			also[0] = '\0';
	}
	if (r != SP_OK) {
		status = sp_err_exit_status(r);
		/*
		 * A typo in ssh_config, a missing privilege or device is
		 * not "unreachable": even a probe says so and exits with
		 * its own status.
		 */
		if (status == SP_EXIT_USAGE || status == SP_EXIT_DATAERR ||
		    r == SP_ERR_CAP_SYS_ADMIN || r == SP_ERR_CAP_NET_ADMIN ||
		    r == SP_ERR_CAP_NET_RAW || r == SP_ERR_NO_DEVICE ||
		    r == SP_ERR_NO_VRF) {
			sp_log_init(progname, o->quiet ? SP_LOG_QUIET :
			    SP_LOG_ERROR + o->verbose);
			sp_route_clear(&o->route);
			return fail(r, r == SP_ERR_SOURCE_BAD ?
			    o->dial.source : where);
		}
		if (o->action == NC_PROBE)
			sp_info("%s: not reachable: %s", where,
			    sp_strerror(r));
		else
			report(o, r, where, also);
		sp_route_clear(&o->route);
		return o->action == NC_PROBE ? SP_EXIT_FAIL : status;
	}
	sp_route_clear(&o->route);

	switch (o->action) {
	case NC_PROBE:
		sp_info("%s: reachable", where);
		sp_conn_close(&conn);
		return SP_EXIT_OK;
	case NC_FDPASS:
		if (conn.npending > 0) {
			/* Never the case for SOCKS and http://; never lose them. */
			sp_conn_close(&conn);
			sp_error("-F: the tunnel already holds data for ssh; "
			    "run without -F");
			return SP_EXIT_PROTOCOL;
		}
		r = sp_fdpass_send(STDOUT_FILENO, conn.fd);
		sp_conn_close(&conn);
		return r == SP_OK ? SP_EXIT_OK : fail(r, "-F");
	default:
		break;
	}

	sp_cmd_catch_signals(&sigs);
	o->relay.wait_mask = &sigs.wait_mask;
	o->relay.stop = &sp_cmd_stop;
	r = sp_relay(STDIN_FILENO, STDOUT_FILENO, &conn, &o->relay, &st);
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
