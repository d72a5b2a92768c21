/*
 * The stdio <-> tunnel pump.
 *
 * Bytes from in_fd go to the tunnel, bytes from the tunnel go to
 * out_fd.  EOF on in_fd shuts down the tunnel's write side (unless
 * no_half_close) and reading goes on; EOF from the tunnel closes out_fd
 * once every byte has been written, and ends the relay.  On Linux,
 * pipes are spliced to and from the socket without copying through
 * user space.
 */
#ifndef SP_RELAY_H
#define SP_RELAY_H

#include <signal.h>
#include <stdint.h>

#include "conn.h"

struct sp_relay_opts {
	int				 idle_timeout_ms;	/* 0: none */
	int				 no_half_close;
	int				 no_splice;		/* for tests */
	/* Signals that end the relay: unblocked only while it waits. */
	const sigset_t			*wait_mask;
	volatile sig_atomic_t		*stop;
};

struct sp_relay_stats {
	uint64_t	to_remote;	/* bytes in_fd -> tunnel */
	uint64_t	to_local;	/* bytes tunnel -> out_fd */
	int		spliced_up;
	int		spliced_down;
};

void	sp_relay_opts_init(struct sp_relay_opts *);
int	sp_relay(int, int, struct sp_conn *, const struct sp_relay_opts *,
	    struct sp_relay_stats *);

#endif /* SP_RELAY_H */
