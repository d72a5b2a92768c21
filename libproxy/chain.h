/*
 * Chains typed on the command line: "alice%bastion+db:2222+target".
 * Hops are joined by a delimiter ('+' or '/' by default), each
 * "[user%]host[:port]" with IPv6 hosts in brackets; the last element is
 * the destination.  The chain becomes an ssh argv: ssh -W target:port
 * -J hop1,...,hopN-1 hopN, so every hop gets its own ssh_config.
 */
#ifndef SP_CHAIN_H
#define SP_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "proxy.h"

#define SP_CHAIN_MAX		16	/* elements: hops + destination */
#define SP_CHAIN_DELIMS		"+/"

struct sp_chain {
	struct sp_route	proxies;		/* "scheme=host:port" prefix */
	struct sp_addr	elem[SP_CHAIN_MAX];	/* ssh hops, then destination */
	int		n;
	int		bad;			/* failing element, 1-based */
};

int	sp_chain_parse(const char *, const char *, struct sp_chain *);
int	sp_chain_hop_string(const struct sp_addr *, int, char *, size_t);
int	sp_chain_elem_string(const struct sp_addr *, char *, size_t);
int	sp_chain_proxy_string(const struct sp_proxy *, char *, size_t);

#endif /* SP_CHAIN_H */
