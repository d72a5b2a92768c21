/*
 * sshproxy-socks: ssh over Tor (or any SOCKS proxy that resolves names
 * itself).  Names go to the proxy and never to a local resolver; v3
 * onion addresses are checked before anything is sent; each destination
 * gets its own Tor circuit.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "conf.h"
#include "err.h"
#include "log.h"
#include "nc-opts.h"
#include "onion.h"
#include "proxy.h"
#include "util.h"

static const char *progname = "sshproxy-socks";
static int iso_given;

enum {
	OPT_ISOLATE = NC_OPT_OWN
};

static const char shortopts[] = ":c:Fhi:Nqvw:x:z";

static const struct option longopts[] = {
	NC_RELAY_LONGOPTS,
	{ "config",		required_argument,	NULL, 'c' },
	{ "proxy",		required_argument,	NULL, 'x' },
	{ "isolate",		required_argument,	NULL, OPT_ISOLATE },
	{ NULL,			0,			NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-FhNqvz] [-c file] [-i idle] [-w timeout] [-x proxy]\n"
"       [--isolate=destination|connection|none] host port\n"
"\n"
"Connect to host:port through Tor (or another SOCKS proxy that resolves\n"
"names itself) and relay standard input and output, for ssh's\n"
"ProxyCommand.  Names are never resolved locally; v3 .onion addresses\n"
"are checked before anything is sent.\n"
"\n"
"  -c, --config=FILE        read FILE instead of sshproxy.conf (\"none\":\n"
"                           no file): its proxy \"tor\", defaults, policy\n"
"                           and audit log apply\n"
"  -F, --fdpass             pass the connected socket to ssh and exit\n"
"                           (ssh_config: ProxyUseFdpass yes)\n"
"  -h, --help               show this help and exit\n"
"  -i, --idle-timeout=SECS  end the tunnel after SECS seconds without data\n"
"  -N, --half-close         on EOF on stdin, shut down the write side and\n"
"                           keep reading (the default)\n"
"      --no-half-close      on EOF on stdin, leave the tunnel open\n"
"  -q, --quiet              print no diagnostics, not even errors\n"
"  -v, --verbose            say more on stderr (repeat for more)\n"
"  -w, --timeout=SECS       give up after SECS seconds (default: tor's)\n"
"  -x, --proxy=URL          socks5h://host:port, socks4a://host:port or\n"
"                           socks5h://localhost/path/to/socks.sock\n"
"                           (default: $TOR_SOCKS_HOST:$TOR_SOCKS_PORT, else\n"
"                           sshproxy.conf's proxy \"tor\", else\n"
"                           127.0.0.1:9050, else 127.0.0.1:9150)\n"
"      --isolate=MODE       Tor circuits: one per destination (default),\n"
"                           one per connection, or none (shared)\n"
"  -z, --probe              only check that the tunnel can be opened:\n"
"                           exit 0 if so, 1 if not\n"
"      --version            show the version and exit\n"
"\n"
"Exit status: 0 ok, 1 not reachable (-z) or tunnel broke, 64 usage,\n"
"65 bad host, port or onion address, 68 onion service not found,\n"
"69 tor not running or destination unreachable, 75 timed out,\n"
"76 proxy protocol error, 77 refused by the proxy, the onion service or\n"
"sshproxy.conf's policy, 78 bad sshproxy.conf.\n"
"See sshproxy-socks(1).\n",
	    progname);
}

/* Tor's SOCKS port: the environment, else 9050 with 9150 after it. */
static int
default_proxy(struct nc_opts *o, char *err, size_t errlen)
{
	const char *h = getenv("TOR_SOCKS_HOST"), *p = getenv("TOR_SOCKS_PORT");
	char url[SP_HOST_MAX + 32];
	int r;

	if ((h != NULL && *h != '\0') || (p != NULL && *p != '\0')) {
		snprintf(url, sizeof(url), "socks5h://%s%s%s:%s",
		    h != NULL && strchr(h, ':') != NULL ? "[" : "",
		    h != NULL && *h != '\0' ? h : "127.0.0.1",
		    h != NULL && strchr(h, ':') != NULL ? "]" : "",
		    p != NULL && *p != '\0' ? p : "9050");
		if ((r = sp_proxy_parse(url, SP_PROXY_NONE,
		    &o->route.hops[0])) != SP_OK) {
			snprintf(err, errlen, "TOR_SOCKS_HOST/TOR_SOCKS_PORT: "
			    "%s", sp_strerror(r));
			return r;
		}
	} else {
		sp_proxy_parse("socks5h://127.0.0.1:9050", SP_PROXY_NONE,
		    &o->route.hops[0]);
		sp_proxy_parse("socks5h://127.0.0.1:9150", SP_PROXY_NONE,
		    &o->fallback);
	}
	o->route.nhops = 1;
	o->proxy_label = "tor";
	return SP_OK;
}

static int
parse(int argc, char **argv, struct nc_opts *o, int *iso,
    char *err, size_t errlen)
{
	struct nc_parse_state ps = { 0, 0 };
	const char *x = NULL, *why;
	char name[8];
	int c, r;
	uint16_t port;

	nc_opts_init(o);
	*iso = SP_ISOLATE_DESTINATION;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		snprintf(name, sizeof(name), "-%c", c);
		if ((r = nc_common_option(c, name, optarg, o, &ps, err,
		    errlen)) == 0) {
			if (o->action == NC_HELP || o->action == NC_VERSION)
				return 0;
			continue;
		}
		if (r > 0)
			return r;
		switch (c) {
		case 'x':
			x = optarg;
			break;
		case 'c':
			o->config_path = optarg;
			break;
		case OPT_ISOLATE:
			iso_given = 1;
			if (sp_isolate_parse(optarg, iso) != SP_OK) {
				snprintf(err, errlen, "--isolate: '%s' is not "
				    "destination, connection or none", optarg);
				return SP_EXIT_USAGE;
			}
			break;
		case ':':
			snprintf(err, errlen, "option %s needs an argument",
			    argv[optind - 1]);
			return SP_EXIT_USAGE;
		default:
			snprintf(err, errlen, "unknown option %s",
			    optopt != 0 ? (char[]){ '-', (char)optopt, 0 } :
			    argv[optind - 1]);
			return SP_EXIT_USAGE;
		}
	}
	if ((r = nc_common_finish(o, &ps, err, errlen)) != 0)
		return r;
	if (argc - optind != 2) {
		snprintf(err, errlen, argc - optind < 2 ?
		    "missing host and port" : "too many operands");
		return SP_EXIT_USAGE;
	}
	if ((r = sp_addr_parse(argv[optind], 0, &o->dest)) != SP_OK) {
		snprintf(err, errlen, "host '%.64s%s': %s", argv[optind],
		    strlen(argv[optind]) > 64 ? "..." : "", sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if ((r = sp_onion_check(o->dest.host, &why)) != SP_OK) {
		snprintf(err, errlen, "%.80s: %s", o->dest.host, why);
		return sp_err_exit_status(r);
	}
	if ((r = sp_port_parse(argv[optind + 1], &port)) != SP_OK) {
		snprintf(err, errlen, "port '%.64s': %s", argv[optind + 1],
		    sp_strerror(r));
		return sp_err_exit_status(r);
	}
	o->dest.port = port;

	if (x == NULL)
		return default_proxy(o, err, errlen) == SP_OK ? 0 :
		    SP_EXIT_USAGE;
	if ((r = sp_proxy_parse(x, SP_PROXY_NONE, &o->route.hops[0])) !=
	    SP_OK) {
		char shown[80];

		sp_proxy_redact_url(x, shown, sizeof(shown));
		snprintf(err, errlen, "-x '%.64s': %s", shown, sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if (!sp_proxy_is_socks(o->route.hops[0].type) ||
	    !sp_proxy_resolves_remotely(o->route.hops[0].type)) {
		snprintf(err, errlen, "-x '%.64s': %s resolves names only at "
		    "the proxy: use socks5h:// or socks4a://", x, progname);
		return SP_EXIT_USAGE;
	}
	o->route.nhops = 1;
	return 0;
}

/*
 * sshproxy.conf may say where Tor listens: a proxy named "tor", used
 * when neither -x nor TOR_SOCKS_HOST/PORT says otherwise.  Its isolate
 * setting applies unless --isolate was given.
 */
static int
tor_from_config(struct nc_opts *o, int *iso)
{
	const struct sp_cfg_proxy *p = NULL;
	char err[SP_CFG_ERR_MAX], *pw = NULL;
	int i, r;

	if (o->cfg == NULL || o->fallback.type == SP_PROXY_NONE)
		return 0;	/* -x or the environment named the proxy */
	for (i = 0; i < o->cfg->nproxies; i++)
		if (strcmp(o->cfg->proxies[i].name, "tor") == 0)
			p = &o->cfg->proxies[i];
	if (p == NULL)
		return 0;
	sp_log_init(progname, o->quiet ? SP_LOG_QUIET : o->verbose);
	if (!sp_proxy_resolves_remotely(p->proxy.type) ||
	    !sp_proxy_is_socks(p->proxy.type)) {
		sp_error("%s:%d: proxy tor: %s resolves names only at the "
		    "proxy: use socks5h:// or socks4a://", o->cfg->path,
		    p->line, progname);
		return SP_EXIT_CONFIG;
	}
	if ((r = sp_config_proxy_password(p, &pw, err, sizeof(err))) !=
	    SP_OK) {
		sp_error("%s", err);
		return sp_err_exit_status(r);
	}
	sp_proxy_clear(&o->route.hops[0]);
	sp_proxy_clear(&o->fallback);
	o->route.hops[0] = p->proxy;
	o->route.hops[0].password = pw;
	if (!iso_given)
		*iso = p->proxy.user[0] != '\0' ? SP_ISOLATE_NONE :
		    p->isolate >= 0 ? p->isolate : SP_ISOLATE_DESTINATION;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct nc_opts o;
	int iso;
	char err[512];
	int r, status;

	if ((status = sp_cmd_start(progname)) != 0)
		return status;
	if ((status = parse(argc, argv, &o, &iso, err, sizeof(err))) != 0) {
		sp_route_clear(&o.route);
		return sp_cmd_bad_args(progname, o.quiet, status, err);
	}
	if (o.action == NC_HELP)
		return sp_cmd_help(usage);
	if (o.action == NC_VERSION)
		return sp_cmd_version(progname);
	if ((status = nc_load_config(&o, progname)) != 0 ||
	    (status = tor_from_config(&o, &iso)) != 0) {
		sp_route_clear(&o.route);
		nc_free_config(&o);
		return status;
	}
	if ((r = sp_proxy_isolate(&o.route.hops[0], iso, o.dest.host,
	    o.dest.port)) != SP_OK ||
	    (o.fallback.type != SP_PROXY_NONE &&
	    (r = sp_proxy_isolate(&o.fallback, iso, o.dest.host, o.dest.port)) !=
	    SP_OK)) {
		sp_error("%s", sp_strerror(r));
		status = sp_err_exit_status(r);
	} else
		status = nc_run(&o, progname);
	/* nc_run() leaves the unused default and early-return hops to us. */
	sp_route_clear(&o.route);
	sp_proxy_clear(&o.fallback);
	nc_free_config(&o);
	return status;
}
