/*
 * SOCKS4, SOCKS4a and SOCKS5 (RFC 1928) with username/password
 * authentication (RFC 1929).  Handshakes run over an established
 * connection and never dial, so hops compose: a SOCKS hop can run over
 * another SOCKS hop or over an HTTP tunnel.  Replies are read exactly,
 * never past their end: what the server sends next belongs to the
 * tunnel.
 */
#ifndef SP_SOCKS_H
#define SP_SOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "proxy.h"

#define SOCKS5_ATYP_IPV4	0x01
#define SOCKS5_ATYP_DOMAIN	0x03
#define SOCKS5_ATYP_IPV6	0x04

/* The address a SOCKS server says it bound for us. */
struct sp_socks_bound {
	int		atyp;
	char		addr[256];	/* text: dotted, IPv6 or the name */
	uint16_t	port;
};

int	sp_socks5_request(const char *, uint16_t, unsigned char *, size_t,
	    size_t *);
int	sp_socks5_auth_request(const char *, const char *, unsigned char *,
	    size_t, size_t *);
int	sp_socks5_bound_len(const unsigned char *, size_t, size_t *);
int	sp_socks5_bound_parse(const unsigned char *, size_t,
	    struct sp_socks_bound *);
int	sp_socks4_request(const char *, uint16_t, const char *, int,
	    unsigned char *, size_t, size_t *);
int	sp_socks_handshake(struct sp_conn *, const struct sp_proxy *,
	    const char *, uint16_t, int64_t, struct sp_socks_bound *);

#endif /* SP_SOCKS_H */
