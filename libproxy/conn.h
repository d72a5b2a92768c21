/*
 * An established tunnel: what dial (and, later, the proxy handshakes)
 * hand to the relay or to fd passing.
 *
 * A plain socket has ops == NULL and is read and written directly (and
 * spliced on Linux).  A tunnel that carries a transformation, such as
 * TLS to an HTTPS proxy, supplies ops; the relay then goes through them.
 * Bytes a handshake read past the proxy's reply belong to the tunnel:
 * they sit in "pending" and the relay delivers them before anything
 * else.
 */
#ifndef SP_CONN_H
#define SP_CONN_H

#include <sys/types.h>

struct sp_conn;

struct sp_conn_ops {
	ssize_t	(*read)(struct sp_conn *, void *, size_t);
	ssize_t	(*write)(struct sp_conn *, const void *, size_t);
	int	(*shutdown_wr)(struct sp_conn *);
	void	(*close)(struct sp_conn *);
};

struct sp_conn {
	int				 fd;	/* to poll on; -1: none */
	const struct sp_conn_ops	*ops;	/* NULL: plain socket */
	void				*ctx;
	unsigned char			*pending;
	size_t				 npending;
};

void	sp_conn_init(struct sp_conn *, int);
void	sp_conn_close(struct sp_conn *);

#endif /* SP_CONN_H */
