#include "config.h"

#include <sys/socket.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "nc-opts.h"
#include "util.h"

enum {
	OPT_NO_HALF_CLOSE = 256,
	OPT_HE_DELAY,
	OPT_VERSION
};

static const char shortopts[] = ":46Fhi:Nnqs:vw:z";

static const struct option longopts[] = {
	{ "ipv4",		no_argument,		NULL, '4' },
	{ "ipv6",		no_argument,		NULL, '6' },
	{ "fdpass",		no_argument,		NULL, 'F' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "idle-timeout",	required_argument,	NULL, 'i' },
	{ "half-close",		no_argument,		NULL, 'N' },
	{ "no-half-close",	no_argument,		NULL, OPT_NO_HALF_CLOSE },
	{ "numeric",		no_argument,		NULL, 'n' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "source",		required_argument,	NULL, 's' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "timeout",		required_argument,	NULL, 'w' },
	{ "he-delay",		required_argument,	NULL, OPT_HE_DELAY },
	{ "probe",		no_argument,		NULL, 'z' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
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

/*
 * Parse argv into o.  Returns 0 to go on, or the exit status to leave
 * with (64 for a bad command line, 65 for a malformed host or port),
 * with a one-line reason in err.
 */
int
nc_parse_args(int argc, char **argv, struct nc_opts *o, char *err,
    size_t errlen)
{
	char name[32];
	unsigned long ul;
	int c, longindex, ms, fdpass = 0, probe = 0, r;
	uint16_t port;

	memset(o, 0, sizeof(*o));
	sp_dial_opts_init(&o->dial);
	sp_relay_opts_init(&o->relay);
	o->action = NC_RELAY;
	err[0] = '\0';

	optind = 0;		/* re-initialise getopt (unit tests) */
	opterr = 0;
	for (;;) {
		longindex = -1;
		c = getopt_long(argc, argv, shortopts, longopts, &longindex);
		if (c == -1)
			break;
		opt_name(c, longindex, name, sizeof(name));
		switch (c) {
		case '4':
			o->dial.family = AF_INET;
			break;
		case '6':
			o->dial.family = AF_INET6;
			break;
		case 'F':
			fdpass = 1;
			break;
		case 'h':
			o->action = NC_HELP;
			return 0;
		case 'i':
			if (sp_parse_seconds(optarg, &ms) != SP_OK) {
				snprintf(err, errlen, "%s: invalid idle timeout "
				    "'%s' (seconds, e.g. 30 or 0.5)", name,
				    optarg);
				return SP_EXIT_USAGE;
			}
			o->relay.idle_timeout_ms = ms;
			break;
		case 'N':
			o->relay.no_half_close = 0;
			break;
		case OPT_NO_HALF_CLOSE:
			o->relay.no_half_close = 1;
			break;
		case 'n':
			o->dial.numeric = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 's':
			o->dial.source = optarg;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'w':
			if (sp_parse_seconds(optarg, &ms) != SP_OK) {
				snprintf(err, errlen, "%s: invalid timeout '%s' "
				    "(seconds, e.g. 5 or 0.5)", name, optarg);
				return SP_EXIT_USAGE;
			}
			o->dial.timeout_ms = ms;
			break;
		case OPT_HE_DELAY:
			if (sp_parse_uint(optarg, SP_HE_DELAY_MIN,
			    SP_HE_DELAY_MAX, &ul) != SP_OK) {
				snprintf(err, errlen, "%s: invalid delay '%s' "
				    "(milliseconds, %d-%d)", name, optarg,
				    SP_HE_DELAY_MIN, SP_HE_DELAY_MAX);
				return SP_EXIT_USAGE;
			}
			o->dial.he_delay_ms = (int)ul;
			break;
		case 'z':
			probe = 1;
			break;
		case OPT_VERSION:
			o->action = NC_VERSION;
			return 0;
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
	if (fdpass && probe) {
		snprintf(err, errlen, "-F and -z cannot be used together");
		return SP_EXIT_USAGE;
	}
	if (o->quiet && o->verbose) {
		snprintf(err, errlen, "-q and -v cannot be used together");
		return SP_EXIT_USAGE;
	}
	o->action = fdpass ? NC_FDPASS : probe ? NC_PROBE : NC_RELAY;

	argc -= optind;
	argv += optind;
	if (argc == 1) {
		/* "host:port" or "[v6]:port" as one operand. */
		r = sp_addr_parse(argv[0], SP_ADDR_NEED_PORT, &o->dest);
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
