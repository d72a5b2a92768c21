#include "config.h"

#include <sys/socket.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "err.h"
#include "nc-opts.h"
#include "util.h"

enum {
	OPT_HE_DELAY = NC_OPT_OWN,
	OPT_PASSWORD_FILE,
	OPT_PASSWORD_ENV,
	OPT_PROXY_ENV,
	OPT_PROXY_AUTH,
	OPT_PROXY_CACERT,
	OPT_PROXY_INSECURE,
	OPT_PROXY_HEADER,
	OPT_EXPLAIN,
	OPT_CACHE
};

static const char shortopts[] = ":46c:Fhi:NnP:qs:vw:X:x:z";

static const struct option longopts[] = {
	NC_RELAY_LONGOPTS,
	NC_DIAL_LONGOPTS,
	{ "cache",		required_argument,	NULL, OPT_CACHE },
	{ "config",		required_argument,	NULL, 'c' },
	{ "explain",		no_argument,		NULL, OPT_EXPLAIN },
	{ "he-delay",		required_argument,	NULL, OPT_HE_DELAY },
	{ "proxy",		required_argument,	NULL, 'x' },
	{ "proxy-type",		required_argument,	NULL, 'X' },
	{ "proxy-user",		required_argument,	NULL, 'P' },
	{ "proxy-password-file", required_argument,	NULL, OPT_PASSWORD_FILE },
	{ "proxy-password-env",	required_argument,	NULL, OPT_PASSWORD_ENV },
	{ "proxy-env",		no_argument,		NULL, OPT_PROXY_ENV },
	{ "proxy-auth",		required_argument,	NULL, OPT_PROXY_AUTH },
	{ "proxy-cacert",	required_argument,	NULL, OPT_PROXY_CACERT },
	{ "proxy-insecure",	no_argument,		NULL, OPT_PROXY_INSECURE },
	{ "proxy-header",	required_argument,	NULL, OPT_PROXY_HEADER },
	{ NULL,			0,			NULL, 0 }
};

/* The option as the user typed it, for messages. */
static void
opt_name(int c, int longindex, char *buf, size_t len)
{
	if (longindex >= 0)
		snprintf(buf, len, "--%s", longopts[longindex].name);
	else
		snprintf(buf, len, "-%c", c);
}

/* Defaults: relay, any family, no timeouts, half-close on. */
void
nc_opts_init(struct nc_opts *o)
{
	memset(o, 0, sizeof(*o));
	sp_dial_opts_init(&o->dial);
	sp_relay_opts_init(&o->relay);
	o->action = NC_RELAY;
}

/*
 * One option shared by the connecting programs.  Returns 0 if it was
 * handled, -1 if it is not a shared option, or the exit status to
 * leave with, with the reason in err.  "name" is the option as typed.
 */
int
nc_common_option(int c, const char *name, const char *arg,
    struct nc_opts *o, struct nc_parse_state *ps, char *err, size_t errlen)
{
	int ms;

	switch (c) {
	case '4':
		o->dial.family = AF_INET;
		o->set |= NC_SET_FAMILY;
		return 0;
	case '6':
		o->dial.family = AF_INET6;
		o->set |= NC_SET_FAMILY;
		return 0;
	case 'F':
		ps->fdpass = 1;
		return 0;
	case 'h':
		o->action = NC_HELP;
		return 0;
	case 'i':
	case 'w':
		if (sp_parse_seconds(arg, &ms) != SP_OK) {
			snprintf(err, errlen, "%s: invalid %s '%s' (seconds, "
			    "e.g. 5 or 0.5)", name, c == 'i' ? "idle timeout" :
			    "timeout", arg);
			return SP_EXIT_USAGE;
		}
		if (c == 'i') {
			o->relay.idle_timeout_ms = ms;
			o->set |= NC_SET_IDLE;
		} else {
			o->dial.timeout_ms = ms;
			o->set |= NC_SET_TIMEOUT;
		}
		return 0;
	case 'N':
		o->relay.no_half_close = 0;
		return 0;
	case NC_OPT_NO_HALF_CLOSE:
		o->relay.no_half_close = 1;
		return 0;
	case 'n':
		o->dial.numeric = 1;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 's':
		o->dial.source = arg;
		o->set |= NC_SET_SOURCE;
		return 0;
	case 'v':
		o->verbose++;
		return 0;
	case 'z':
		ps->probe = 1;
		return 0;
	case NC_OPT_VERSION:
		o->action = NC_VERSION;
		return 0;
	default:
		return -1;
	}
}

/* After the options: what they mean together. */
int
nc_common_finish(struct nc_opts *o, const struct nc_parse_state *ps,
    char *err, size_t errlen)
{
	if (ps->fdpass && ps->probe) {
		snprintf(err, errlen, "-F and -z cannot be used together");
		return SP_EXIT_USAGE;
	}
	if (o->quiet && o->verbose) {
		snprintf(err, errlen, "-q and -v cannot be used together");
		return SP_EXIT_USAGE;
	}
	o->action = ps->fdpass ? NC_FDPASS : ps->probe ? NC_PROBE : NC_RELAY;
	return 0;
}

/*
 * Parse argv into o.  Returns 0 to go on, or the exit status to leave
 * with (64 for a bad command line, 65 for a malformed host or port),
 * with a one-line reason in err.
 */
int
nc_parse_args(int argc, char **argv, struct nc_opts *o, char *err,
    size_t errlen)
{
	const char *xargs[SP_PROXY_HOPS_MAX];
	enum sp_proxy_type xtype = SP_PROXY_NONE;
	char name[32];
	unsigned long ul;
	struct nc_parse_state ps = { 0, 0 };
	int c, longindex, r, nx = 0, i;
	uint16_t port;

	nc_opts_init(o);
	err[0] = '\0';

	optind = 0;		/* re-initialise getopt (unit tests) */
	opterr = 0;
	for (;;) {
		longindex = -1;
		c = getopt_long(argc, argv, shortopts, longopts, &longindex);
		if (c == -1)
			break;
		opt_name(c, longindex, name, sizeof(name));
		if ((r = nc_common_option(c, name, optarg, o, &ps, err,
		    errlen)) == 0) {
			if (o->action == NC_HELP || o->action == NC_VERSION)
				return 0;
			continue;
		}
		if (r > 0)
			return r;
		switch (c) {
		case OPT_HE_DELAY:
			if (sp_parse_uint(optarg, SP_HE_DELAY_MIN,
			    SP_HE_DELAY_MAX, &ul) != SP_OK) {
				snprintf(err, errlen, "%s: invalid delay '%s' "
				    "(milliseconds, %d-%d)", name, optarg,
				    SP_HE_DELAY_MIN, SP_HE_DELAY_MAX);
				return SP_EXIT_USAGE;
			}
			o->dial.he_delay_ms = (int)ul;
			o->set |= NC_SET_HE_DELAY;
			break;
		case 'c':
			o->config_path = optarg;
			break;
		case OPT_EXPLAIN:
			o->explain = 1;
			break;
		case OPT_CACHE:
			if (sp_parse_uint(optarg, 1, SP_CACHE_MAX_AGE, &ul) !=
			    SP_OK) {
				snprintf(err, errlen, "%s: invalid age '%s' "
				    "(seconds, 1-%d)", name, optarg,
				    SP_CACHE_MAX_AGE);
				return SP_EXIT_USAGE;
			}
			o->cache_s = (int)ul;
			break;
		case 'x':
			if (nx == SP_PROXY_HOPS_MAX) {
				snprintf(err, errlen, "at most %d proxies",
				    SP_PROXY_HOPS_MAX);
				return SP_EXIT_USAGE;
			}
			xargs[nx++] = optarg;
			break;
		case 'X':
			if (sp_proxy_type_parse(optarg, &xtype) != SP_OK) {
				snprintf(err, errlen, "%s: unknown proxy type "
				    "'%s' (4, 4a, 5 or connect)", name, optarg);
				return SP_EXIT_USAGE;
			}
			break;
		case 'P':
			o->proxy_user = optarg;
			break;
		case OPT_PASSWORD_FILE:
			o->password_file = optarg;
			break;
		case OPT_PASSWORD_ENV:
			o->password_env = optarg;
			break;
		case OPT_PROXY_ENV:
			o->proxy_env = 1;
			break;
		case OPT_PROXY_AUTH:
			if (sp_http_auth_parse(optarg, &o->http.auth) != SP_OK) {
				snprintf(err, errlen, "%s: unknown scheme in "
				    "'%s' (basic, digest, ntlm, negotiate, any)",
				    name, optarg);
				return SP_EXIT_USAGE;
			}
			break;
		case OPT_PROXY_CACERT:
			o->http.cacert = optarg;
			break;
		case OPT_PROXY_INSECURE:
			o->http.insecure = 1;
			break;
		case OPT_PROXY_HEADER:
			if (o->http.nheaders == SP_HTTP_HEADERS_MAX ||
			    strchr(optarg, ':') == NULL ||
			    strpbrk(optarg, "\r\n") != NULL) {
				snprintf(err, errlen, "%s: want 'Name: value' "
				    "(at most %d)", name, SP_HTTP_HEADERS_MAX);
				return SP_EXIT_USAGE;
			}
			o->http.headers[o->http.nheaders++] = optarg;
			break;
		case ':':
			if (optopt != 0)
				snprintf(err, errlen, "option -%c needs an "
				    "argument", optopt);
			else
				snprintf(err, errlen, "option %s needs an "
				    "argument", argv[optind - 1]);
			return SP_EXIT_USAGE;
		case '?':
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
	if ((r = nc_common_finish(o, &ps, err, errlen)) != 0)
		return r;
	if (o->cache_s > 0 && o->action != NC_PROBE) {
		snprintf(err, errlen, "--cache is for probes: use it with -z");
		return SP_EXIT_USAGE;
	}
	if (o->explain && o->action != NC_RELAY) {
		snprintf(err, errlen, "--explain connects nowhere: leave out "
		    "-z and -F");
		return SP_EXIT_USAGE;
	}

	/* Proxies: after all options, so -X may come after -x. */
	for (i = 0; i < nx; i++) {
		struct sp_proxy *h = &o->route.hops[i];

		if ((r = sp_proxy_parse(xargs[i], xtype, h)) != SP_OK) {
			char shown[80];

			sp_proxy_redact_url(xargs[i], shown, sizeof(shown));
			snprintf(err, errlen, "-x '%.64s%s': %s", shown,
			    strlen(shown) > 64 ? "..." : "",
			    r == SP_ERR_PROXY_URL && xtype == SP_PROXY_NONE &&
			    strstr(xargs[i], "://") == NULL ?
			    "no scheme: write socks5h://host:port, "
			    "http://host:port, ... or give -X" : sp_strerror(r));
			sp_route_clear(&o->route);
			return sp_err_exit_status(r);
		}
		if (h->user[0] == '\0' && o->proxy_user != NULL)
			snprintf(h->user, sizeof(h->user), "%s",
			    o->proxy_user);
		o->route.nhops++;
	}
	if (nx == 0 && xtype != SP_PROXY_NONE) {
		snprintf(err, errlen, "-X needs -x");
		return SP_EXIT_USAGE;
	}

	argc -= optind;
	argv += optind;
	if (argc == 1) {
		/* "host:port" or "[v6]:port" as one operand. */
		r = sp_addr_parse(argv[0], o->explain ? SP_ADDR_PORT :
		    SP_ADDR_NEED_PORT,
		    &o->dest);
		if (r == SP_OK && o->dest.port == 0)
			o->dest.port = 22;	/* --explain host: ssh's port */
		if (r == SP_ERR_PORT_EMPTY && strchr(argv[0], ':') == NULL) {
			snprintf(err, errlen, "missing port: use 'host port' "
			    "or 'host:port'");
			return SP_EXIT_USAGE;
		}
		if (r != SP_OK) {
			snprintf(err, errlen, "'%.64s%s': %s", argv[0],
			    strlen(argv[0]) > 64 ? "..." : "", sp_strerror(r));
			return sp_err_exit_status(r);
		}
		return 0;
	}
	if (argc != 2) {
		snprintf(err, errlen, argc == 0 ? "missing host and port" :
		    "too many operands");
		return SP_EXIT_USAGE;
	}
	if ((r = sp_addr_parse(argv[0], 0, &o->dest)) != SP_OK) {
		snprintf(err, errlen, "host '%.64s%s': %s", argv[0],
		    strlen(argv[0]) > 64 ? "..." : "", sp_strerror(r));
		return sp_err_exit_status(r);
	}
	if ((r = sp_port_parse(argv[1], &port)) != SP_OK) {
		snprintf(err, errlen, "port '%.64s%s': %s", argv[1],
		    strlen(argv[1]) > 64 ? "..." : "", sp_strerror(r));
		return sp_err_exit_status(r);
	}
	o->dest.port = port;
	return 0;
}
