/* Small helpers shared by the library and the programs. */
#ifndef SP_UTIL_H
#define SP_UTIL_H

#include <stdint.h>

#define SP_SECONDS_MAX	1000000		/* longest accepted duration */

int64_t	sp_clock_ms(void);
int	sp_parse_seconds(const char *, int *);
int	sp_parse_uint(const char *, unsigned long, unsigned long,
	    unsigned long *);
int	sp_set_nonblock(int, int);
int	sp_set_cloexec(int);

#endif /* SP_UTIL_H */
