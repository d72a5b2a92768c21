/* sshproxy-nc command line, kept apart from main() for the unit tests. */
#ifndef NC_OPTS_H
#define NC_OPTS_H

#include <stddef.h>

#include "addr.h"
#include "dial.h"
#include "proxy.h"
#include "relay.h"

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
};

int	nc_parse_args(int, char **, struct nc_opts *, char *, size_t);
int	nc_run(struct nc_opts *, const char *);

#endif /* NC_OPTS_H */
