/*
 * Resolve a name and connect to it: total timeout, address family,
 * source address, and Happy Eyeballs (RFC 8305) across the addresses.
 */
#ifndef SP_DIAL_H
#define SP_DIAL_H

#include <stddef.h>
#include <stdint.h>

struct sp_sockopts;

#define SP_HE_DELAY_DEFAULT	250	/* RFC 8305 Connection Attempt Delay */
#define SP_HE_DELAY_MIN		10	/* RFC 8305 floor */
#define SP_HE_DELAY_MAX		2000	/* RFC 8305 ceiling */

struct sp_dial_opts {
	int		 family;	/* AF_UNSPEC, AF_INET or AF_INET6 */
	int		 timeout_ms;	/* whole dial, resolving included; 0: none */
	int		 he_delay_ms;	/* 0: SP_HE_DELAY_DEFAULT */
	int		 numeric;	/* never resolve names */
	const char	*source;	/* numeric local address, or NULL */
	const struct sp_sockopts *sockopts; /* routing domain, or NULL */
};

void	sp_dial_opts_init(struct sp_dial_opts *);
int	sp_dial(const char *, uint16_t, const struct sp_dial_opts *, int *);
int	sp_dial_unix(const char *, int, int *);
int	sp_resolve_one(const char *, const struct sp_dial_opts *, int, char *,
	    size_t);

#endif /* SP_DIAL_H */
