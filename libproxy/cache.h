/*
 * The probe cache behind "sshproxy-nc -z --cache SECONDS": one small
 * file per destination and route in $XDG_RUNTIME_DIR/sshproxy (or
 * /tmp/sshproxy-UID), written to a temporary name and renamed into
 * place, so a reader sees a whole old answer or a whole new one, never
 * half of either, however many ssh processes probe at once.
 */
#ifndef SP_CACHE_H
#define SP_CACHE_H

#include <stddef.h>

#define SP_CACHE_MAX_AGE	86400	/* seconds --cache may ask for */

int	sp_cache_dir(char *, size_t);
int	sp_cache_get(const char *, int, int *, long *);
int	sp_cache_put(const char *, int);

#endif /* SP_CACHE_H */
