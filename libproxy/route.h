/*
 * Routing domains: which routing table, namespace, mark or device a
 * socket leaves from.  OpenBSD rdomain (SO_RTABLE), FreeBSD fib
 * (SO_SETFIB), Linux network namespaces (setns), VRF devices and
 * fwmark policy routing (SO_BINDTODEVICE, SO_MARK).  Plus the "is there
 * a route to this address" probe, which sends no packet.
 */
#ifndef SP_ROUTE_H
#define SP_ROUTE_H

#include <stddef.h>
#include <stdint.h>

struct sp_sockopts {
	int		 rtable;	/* -T; -1: none */
	int		 has_mark;
	uint32_t	 mark;		/* --mark (Linux SO_MARK) */
	char		 device[64];	/* --device, or the VRF for -T */
};

void	sp_sockopts_init(struct sp_sockopts *);
int	sp_sockopts_resolve(struct sp_sockopts *);
int	sp_sockopts_apply(int, const struct sp_sockopts *);
int	sp_netns_enter(const char *);
int	sp_route_probe(const char *, int, const struct sp_sockopts *, int);

#endif /* SP_ROUTE_H */
