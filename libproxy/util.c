#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <time.h>

#include "err.h"
#include "util.h"

/* Milliseconds on a clock that never jumps. */
int64_t
sp_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Seconds with an optional fraction, as people type them in ssh_config:
 * "1", "0.5", "2.25".  Parsed by hand rather than with strtod(3) so the
 * locale cannot turn the decimal point into a comma.  Milliseconds are
 * the finest unit; more decimals are refused rather than silently
 * dropped.  Zero and negative values are refused: a timeout of nothing
 * is never what anyone means.
 */
int
sp_parse_seconds(const char *s, int *ms)
{
	long long whole = 0, frac = 0;
	int digits = 0, fdigits = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (*p - '0');
		if (whole > SP_SECONDS_MAX)
			return SP_ERR_INVALID_ARG;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++) {
			if (fdigits == 3)
				return SP_ERR_INVALID_ARG;
			frac = frac * 10 + (*p - '0');
		}
		if (fdigits == 0)
			return SP_ERR_INVALID_ARG;
	}
	if (*p != '\0' || digits + fdigits == 0)
		return SP_ERR_INVALID_ARG;
	for (; fdigits < 3; fdigits++)
		frac *= 10;
	whole = whole * 1000 + frac;
	if (whole <= 0)
		return SP_ERR_INVALID_ARG;
	*ms = (int)whole;
	return SP_OK;
}

/* A decimal number within [min, max]; no sign, no spaces, no suffix. */
int
sp_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long v = 0;
	const char *p;

	if (*s == '\0')
		return SP_ERR_INVALID_ARG;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return SP_ERR_INVALID_ARG;
		if (v > (ULONG_MAX - 9) / 10)
			return SP_ERR_INVALID_ARG;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < min || v > max)
		return SP_ERR_INVALID_ARG;
	*out = v;
	return SP_OK;
}

int
sp_set_nonblock(int fd, int on)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return SP_ERR_ERRNO(errno);
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	if (fcntl(fd, F_SETFL, fl) == -1)
		return SP_ERR_ERRNO(errno);
	return SP_OK;
}

int
sp_set_cloexec(int fd)
{
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return SP_ERR_ERRNO(errno);
	return SP_OK;
}
