/*
 * ProxyUseFdpass: hand the connected socket to ssh over the unix socket
 * ssh gave us as stdout, then get out of the data path.  The same
 * SCM_RIGHTS code carries a route's socket from a race child back.
 */
#ifndef SP_FDPASS_H
#define SP_FDPASS_H

#include <sys/types.h>

int	sp_fdpass_check(int);
int	sp_fdpass_send(int, int);
/* A message with an optional descriptor (race.c's children use these). */
int	sp_fdpass_sendmsg(int, const void *, size_t, int);
ssize_t	sp_fdpass_recvmsg(int, void *, size_t, int *);

#endif /* SP_FDPASS_H */
