/*
 * Several routes to one destination: try them in order (fallback), or
 * start the next one after a short delay without waiting for the last
 * to fail (race: Happy Eyeballs across routes).  The first tunnel up
 * wins and the others are closed.
 *
 * Raced routes, and routes tried in turn when one of them enters a
 * network namespace, each run in a child process: a child may enter a
 * namespace, block in libcurl or in a SOCKS handshake, and be killed
 * when another route has won, and nothing of it is left in this
 * process.  Routes tried in turn in this namespace run right here, one
 * after the other.  A winner that is a plain socket comes
 * back as that socket (SCM_RIGHTS) and the child exits; a winner that
 * carries TLS or bytes read ahead stays in its child, which pumps it to
 * a socket pair whose other end comes back instead.
 */
#ifndef SP_RACE_H
#define SP_RACE_H

#include <sys/types.h>

#include <stdint.h>

#include "conn.h"
#include "dial.h"
#include "proxy.h"
#include "route.h"

#define SP_RACE_MAX		8
#define SP_RACE_DELAY_DEFAULT	300	/* ms between route starts */

enum sp_race_mode {
	SP_RACE_FALLBACK = 0,
	SP_RACE_STAGGER
};

struct sp_attempt {
	const char		*name;		/* route name, for messages */
	struct sp_route		 route;
	struct sp_http_opts	 http;
	struct sp_dial_opts	 dial;
	struct sp_sockopts	 so;
	const char		*netns;		/* or NULL */
	int			 started;
	int			 result;	/* SP_OK or why it failed */
};

struct sp_race_result {
	int	winner;		/* index into the attempts, or -1 */
	pid_t	pump;		/* child pumping the winner, or -1 */
};

int	sp_attempt_open(struct sp_attempt *, const char *, uint16_t,
	    struct sp_conn *);
int	sp_race_open(struct sp_attempt *, int, enum sp_race_mode, int,
	    const char *, uint16_t, struct sp_conn *, struct sp_race_result *);
void	sp_race_done(struct sp_race_result *);

#endif /* SP_RACE_H */
