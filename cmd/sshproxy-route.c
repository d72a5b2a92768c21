/*
 * sshproxy-route: on a jump host, connect out of a chosen routing
 * domain and relay (or pass the socket), exactly as sshproxy-nc does;
 * or answer "is there a route to this host" for Match exec.  Needs
 * nothing but libc: no libcurl, no configuration file.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "dial.h"
#include "err.h"
#include "log.h"
#include "nc-opts.h"
#include "route.h"
#include "util.h"

static const char *progname = "sshproxy-route";

enum {
	OPT_NETNS = NC_OPT_OWN,
	OPT_MARK,
	OPT_DEVICE,
	OPT_HAS_ROUTE,
	OPT_RESOLVE
};

static const char shortopts[] = ":46Fhi:NnqT:s:vw:z";

static const struct option longopts[] = {
	NC_RELAY_LONGOPTS,
	NC_DIAL_LONGOPTS,
	{ "rtable",		required_argument,	NULL, 'T' },
	{ "netns",		required_argument,	NULL, OPT_NETNS },
	{ "mark",		required_argument,	NULL, OPT_MARK },
	{ "device",		required_argument,	NULL, OPT_DEVICE },
	{ "has-route",		no_argument,		NULL, OPT_HAS_ROUTE },
	{ "resolve",		no_argument,		NULL, OPT_RESOLVE },
	{ NULL,			0,			NULL, 0 }
};

struct route_opts {
	struct nc_opts		nc;
	struct sp_sockopts	so;
	const char		*netns;
	int			has_route;
	int			resolve;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-46FhNnqvz] [-i idle] [-s source] [-w timeout]\n"
"       [-T table | --netns NAME] [--mark N] [--device IF] host port\n"
"       %s --has-route [-46] [--resolve] [-T table | --netns NAME]\n"
"       [--mark N] [--device IF] host\n"
"\n"
"Connect to host:port from a chosen routing domain and relay standard\n"
"input and output (ProxyCommand ssh jump %s -T 1 %%h %%p), or tell\n"
"whether the kernel has a route to host (Match exec).\n"
"\n"
"  -T, --rtable=TABLE       routing table: OpenBSD rdomain, FreeBSD fib,\n"
"                           on Linux the VRF device using that table\n"
"      --netns=NAME         Linux: connect from network namespace NAME\n"
"                           (/run/netns/NAME) or a path to one\n"
"      --mark=N             Linux: set firewall mark N (fwmark routing)\n"
"      --device=IF          Linux: leave through interface or VRF IF\n"
"      --has-route          only check for a route to host; no packet is\n"
"                           sent: exit 0 if there is one, 1 if not\n"
"      --resolve            let --has-route look up a host name\n"
"  -4, --ipv4               use IPv4 addresses only\n"
"  -6, --ipv6               use IPv6 addresses only\n"
"  -F, --fdpass             pass the connected socket to ssh and exit\n"
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
"  -z, --probe              only check that a connection can be made\n"
"      --version            show the version and exit\n"
"\n"
"Exit status: 0 ok, 1 not reachable or no route, 64 usage, 65 bad host\n"
"or port, 68 unknown host, 69 refused, unreachable, or no such namespace,\n"
"VRF or device, 71 system error, 75 timed out, 77 missing privilege.\n"
"See sshproxy-route(1).\n",
	    progname, progname, progname);
}

static int
parse(int argc, char **argv, struct route_opts *ro, char *err, size_t errlen)
{
	struct nc_opts *o = &ro->nc;
	struct nc_parse_state ps = { 0, 0 };
	unsigned long ul;
	int c, r, relay_only = 0;
	uint16_t port;
	char *end, name[8];

	memset(ro, 0, sizeof(*ro));
	nc_opts_init(o);
	sp_sockopts_init(&ro->so);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		snprintf(name, sizeof(name), "-%c", c);
		if ((r = nc_common_option(c, name, optarg, o, &ps, err,
		    errlen)) == 0) {
			if (o->action == NC_HELP || o->action == NC_VERSION)
				return 0;
			/* What only a connection uses, not --has-route. */
			if (c == NC_OPT_NO_HALF_CLOSE)
				relay_only = 'N';
			else if (c < 256 && strchr("iNns", c) != NULL)
				relay_only = c;
			continue;
		}
		if (r > 0)
			return r;
		switch (c) {
		case 'T':
			if (sp_parse_uint(optarg, 0, 0x7fffffff, &ul) != SP_OK) {
				snprintf(err, errlen, "-T: invalid routing table "
				    "'%s'", optarg);
				return SP_EXIT_USAGE;
			}
			ro->so.rtable = (int)ul;
			break;
		case OPT_NETNS:
			ro->netns = optarg;
			break;
		case OPT_MARK:
			/* Decimal, or hex as ip-rule(8) users write it. */
			if (optarg[0] == '0' && (optarg[1] == 'x' ||
			    optarg[1] == 'X') && optarg[2] != '\0' &&
			    strlen(optarg) <= 10 && optarg[2] != '-' &&
			    optarg[2] != '+') {
				ul = strtoul(optarg + 2, &end, 16);
				r = *end == '\0' ? SP_OK : SP_ERR_INVALID_ARG;
			} else
				r = sp_parse_uint(optarg, 0, 0xffffffffUL, &ul);
			if (r != SP_OK) {
				snprintf(err, errlen, "--mark: invalid mark "
				    "'%s' (0-4294967295)", optarg);
				return SP_EXIT_USAGE;
			}
			ro->so.has_mark = 1;
			ro->so.mark = (uint32_t)ul;
			break;
		case OPT_DEVICE:
			if (optarg[0] == '\0' ||
			    strlen(optarg) >= sizeof(ro->so.device) ||
			    strlen(optarg) >= 16 || strchr(optarg, '/') != NULL) {
				snprintf(err, errlen, "--device: invalid "
				    "interface name '%.32s'", optarg);
				return SP_EXIT_USAGE;
			}
			snprintf(ro->so.device, sizeof(ro->so.device), "%s",
			    optarg);
			break;
		case OPT_HAS_ROUTE:
			ro->has_route = 1;
			break;
		case OPT_RESOLVE:
			ro->resolve = 1;
			break;
		case ':':
			snprintf(err, errlen, "option %s needs an argument",
			    argv[optind - 1]);
			return SP_EXIT_USAGE;
		default:
			if (optopt != 0)
				snprintf(err, errlen, "unknown option -%c",
				    optopt);
			else
				snprintf(err, errlen, "unknown option %s",
				    argv[optind - 1]);
			return SP_EXIT_USAGE;
		}
	}
	if ((ps.fdpass || ps.probe) && ro->has_route) {
		snprintf(err, errlen, "-F and -z do not go with --has-route");
		return SP_EXIT_USAGE;
	}
	if ((r = nc_common_finish(o, &ps, err, errlen)) != 0)
		return r;
	if (ro->so.rtable >= 0 && ro->netns != NULL) {
		snprintf(err, errlen, "-T and --netns exclude each other");
		return SP_EXIT_USAGE;
	}
	if (ro->so.rtable >= 0 && ro->so.device[0] != '\0') {
		snprintf(err, errlen, "-T and --device exclude each other "
		    "(on Linux -T picks the VRF device)");
		return SP_EXIT_USAGE;
	}
	if (ro->has_route && relay_only != 0) {
		snprintf(err, errlen, "-%c does not go with --has-route",
		    relay_only);
		return SP_EXIT_USAGE;
	}
	if (ro->resolve && !ro->has_route) {
		snprintf(err, errlen, "--resolve goes with --has-route");
		return SP_EXIT_USAGE;
	}

	argc -= optind;
	argv += optind;
	if (argc != (ro->has_route ? 1 : 2)) {
		snprintf(err, errlen, ro->has_route ? "--has-route takes one "
		    "host" : argc < 2 ? "missing host and port" :
		    "too many operands");
		return SP_EXIT_USAGE;
	}
	if ((r = sp_addr_parse(argv[0], 0, &o->dest)) != SP_OK) {
		snprintf(err, errlen, "host '%.64s%s': %s", argv[0],
		    strlen(argv[0]) > 64 ? "..." : "", sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if (ro->has_route)
		return 0;
	if ((r = sp_port_parse(argv[1], &port)) != SP_OK) {
		snprintf(err, errlen, "port '%.64s': %s", argv[1],
		    sp_strerror(r));
		return sp_err_exit_status(r);
	}
	o->dest.port = port;
	return 0;
}

/*
 * --has-route: numeric hosts are asked about directly; a name only
 * with --resolve (a lookup is a packet, and may leak where we are).
 */
static int
has_route(struct route_opts *ro)
{
	char addr[SP_HOST_MAX + 1];
	const char *host = ro->nc.dest.host;
	int r;

	if (!sp_addr_is_numeric(host)) {
		if (!ro->resolve) {
			sp_error("%s: not an IP address (add --resolve to look "
			    "it up)", host);
			return SP_EXIT_DATAERR;
		}
		if ((r = sp_resolve_one(host, &ro->nc.dial, ro->nc.dial.family,
		    addr, sizeof(addr))) != SP_OK) {
			sp_info("%s: %s", host, sp_strerror(r));
			return r == SP_ERR_ONION_LOCAL ? SP_EXIT_DATAERR :
			    SP_EXIT_FAIL;
		}
		host = addr;
	}
	r = sp_route_probe(host, ro->nc.dial.family, &ro->so, 22);
	if (r == SP_OK) {
		sp_info("%s: there is a route", host);
		return SP_EXIT_OK;
	}
	if (SP_ERR_IS_ERRNO(r)) {
		switch (SP_ERR_TO_ERRNO(r)) {
		case ENETUNREACH:
		case EHOSTUNREACH:
		case EINVAL:		/* blackhole routes */
		case EACCES:		/* prohibit routes */
		case EAFNOSUPPORT:
		case EADDRNOTAVAIL:
			sp_info("%s: no route: %s", host, sp_strerror(r));
			return SP_EXIT_FAIL;
		default:
			break;
		}
	}
	if (r == SP_ERR_NOADDR_FAMILY) {
		sp_info("%s: not an address of that family", host);
		return SP_EXIT_FAIL;
	}
	sp_error("%s: %s", host, sp_strerror(r));
	return sp_err_exit_status(r);
}

int
main(int argc, char *argv[])
{
	struct route_opts ro;
	char err[512];
	int r, status;

	if ((status = sp_cmd_start(progname)) != 0)
		return status;
	if ((status = parse(argc, argv, &ro, err, sizeof(err))) != 0)
		return sp_cmd_bad_args(progname, ro.nc.quiet, status, err);
	if (ro.nc.action == NC_HELP)
		return sp_cmd_help(usage);
	if (ro.nc.action == NC_VERSION)
		return sp_cmd_version(progname);
	sp_log_init(progname, ro.nc.quiet ? SP_LOG_QUIET :
	    (ro.has_route || ro.nc.action == NC_PROBE) && ro.nc.verbose == 0 ?
	    SP_LOG_ERROR : ro.nc.verbose);

	/* The routing domain first: every socket after this is in it. */
	if (ro.netns != NULL && (r = sp_netns_enter(ro.netns)) != SP_OK) {
		sp_error("--netns %s: %s", ro.netns, sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if ((r = sp_sockopts_resolve(&ro.so)) != SP_OK) {
		sp_error("-T %d: %s", ro.so.rtable, sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if (ro.so.device[0] != '\0' && ro.so.rtable >= 0)
		sp_info("routing table %d is VRF %s", ro.so.rtable,
		    ro.so.device);
	ro.nc.dial.sockopts = &ro.so;
	if (ro.has_route)
		return has_route(&ro);
	return nc_run(&ro.nc, progname);
}
