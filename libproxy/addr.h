/*
 * Host, port and user parsing: "host", "host:port", "[v6]:port",
 * "user@host:port", ports as numbers or TCP service names.
 */
#ifndef SP_ADDR_H
#define SP_ADDR_H

#include <stdint.h>

#define SP_HOST_MAX	255	/* longest DNS name; also our hard limit */
#define SP_USER_MAX	255

struct sp_addr {
	char		user[SP_USER_MAX + 1];	/* "" when none given */
	char		host[SP_HOST_MAX + 1];	/* without brackets */
	uint16_t	port;			/* 0 when none given */
};

/* sp_addr_parse() flags */
#define SP_ADDR_USER		0x01	/* allow "user@" */
#define SP_ADDR_PORT		0x02	/* allow ":port" */
#define SP_ADDR_NEED_PORT	0x04	/* require ":port" */

int	sp_addr_parse(const char *, unsigned int, struct sp_addr *);
int	sp_host_check(const char *);
int	sp_port_parse(const char *, uint16_t *);
int	sp_addr_is_numeric(const char *);
int	sp_addr_format(const char *, uint16_t, char *, size_t);

#endif /* SP_ADDR_H */
