/*
 * ProxyUseFdpass: hand the connected socket to ssh over the unix socket
 * ssh gave us as stdout, then get out of the data path.
 */
#ifndef SP_FDPASS_H
#define SP_FDPASS_H

int	sp_fdpass_check(int);
int	sp_fdpass_send(int, int);

#endif /* SP_FDPASS_H */
