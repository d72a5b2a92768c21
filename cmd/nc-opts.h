/* sshproxy-nc command line, kept apart from main() for the unit tests. */
#ifndef NC_OPTS_H
#define NC_OPTS_H

#include <stddef.h>

#include "addr.h"
#include "dial.h"
#include "proxy.h"
#include "relay.h"

struct sp_config;

enum nc_action {
	NC_RELAY,
	NC_FDPASS,
	NC_PROBE,
	NC_HELP,
	NC_VERSION
};

struct nc_opts {
	enum nc_action		action;
	int			verbose;
	int			quiet;
	struct sp_addr		dest;
	struct sp_dial_opts	dial;
	struct sp_relay_opts	relay;
	struct sp_route		route;		/* -x hops, in order */
	struct sp_http_opts	http;
	const char		*proxy_user;	/* -P */
	const char		*password_file;
	const char		*password_env;
	int			proxy_env;	/* --proxy-env */
	/* sshproxy-socks: what to call the proxy, and a second default. */
	const char		*proxy_label;
	struct sp_proxy		fallback;
	struct sp_proxy		first;		/* hop 0, for messages */
	/* sshproxy.conf */
	unsigned int		set;		/* NC_SET_*: given as options */
	const char		*config_path;	/* -c FILE, "none", or NULL */
	struct sp_config	*cfg;		/* loaded, or NULL */
	int			use_rules;	/* rules may pick the route */
	int			explain;	/* --explain */
	int			cache_s;	/* -z --cache SECONDS; 0: off */
};

/* Settings given on the command line, which the file cannot change. */
#define NC_SET_TIMEOUT	0x01
#define NC_SET_IDLE	0x02
#define NC_SET_FAMILY	0x04
#define NC_SET_HE_DELAY	0x08
#define NC_SET_SOURCE	0x10

/*
 * Options shared by the programs that connect and relay (sshproxy-nc,
 * -socks, -route): one table of long names, one handler.  Programs
 * number their own long-only options from NC_OPT_OWN.
 */
enum {
	NC_OPT_NO_HALF_CLOSE = 256,
	NC_OPT_VERSION,
	NC_OPT_OWN = 300
};

#define NC_RELAY_LONGOPTS \
	{ "fdpass",		no_argument,		NULL, 'F' }, \
	{ "help",		no_argument,		NULL, 'h' }, \
	{ "idle-timeout",	required_argument,	NULL, 'i' }, \
	{ "half-close",		no_argument,		NULL, 'N' }, \
	{ "no-half-close",	no_argument,	NULL, NC_OPT_NO_HALF_CLOSE }, \
	{ "quiet",		no_argument,		NULL, 'q' }, \
	{ "verbose",		no_argument,		NULL, 'v' }, \
	{ "timeout",		required_argument,	NULL, 'w' }, \
	{ "probe",		no_argument,		NULL, 'z' }, \
	{ "version",		no_argument,		NULL, NC_OPT_VERSION }

#define NC_DIAL_LONGOPTS \
	{ "ipv4",		no_argument,		NULL, '4' }, \
	{ "ipv6",		no_argument,		NULL, '6' }, \
	{ "numeric",		no_argument,		NULL, 'n' }, \
	{ "source",		required_argument,	NULL, 's' }

struct nc_parse_state {
	int	fdpass;
	int	probe;
};

int	nc_common_option(int, const char *, const char *, struct nc_opts *,
	    struct nc_parse_state *, char *, size_t);
int	nc_common_finish(struct nc_opts *, const struct nc_parse_state *,
	    char *, size_t);
void	nc_opts_init(struct nc_opts *);
int	nc_parse_args(int, char **, struct nc_opts *, char *, size_t);
int	nc_run(struct nc_opts *, const char *);
int	nc_load_config(struct nc_opts *, const char *);
void	nc_free_config(struct nc_opts *);
int	nc_explain(struct nc_opts *);

#endif /* NC_OPTS_H */
