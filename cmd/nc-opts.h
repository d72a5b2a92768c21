/* sshproxy-nc command line, kept apart from main() for the unit tests. */
#ifndef NC_OPTS_H
#define NC_OPTS_H

#include <stddef.h>

#include "addr.h"
#include "dial.h"
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
};

int	nc_parse_args(int, char **, struct nc_opts *, char *, size_t);

#endif /* NC_OPTS_H */
