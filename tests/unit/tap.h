/*
 * A minimal TAP producer for the unit tests: automake's tap-driver.sh
 * counts every "ok"/"not ok" line.
 */
#ifndef SP_TAP_H
#define SP_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* cond is evaluated once: it may call what it checks. */
#define ok(cond, ...) do {						\
	int tap_ok_ = (cond) ? 1 : 0;					\
	tap_n++;							\
	if (tap_ok_)							\
		printf("ok %d - ", tap_n);				\
	else {								\
		printf("not ok %d - ", tap_n);				\
		tap_failed++;						\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	if (!tap_ok_)							\
		printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, \
		    #cond);						\
} while (0)

#define is_int(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	ok(g_ == w_, __VA_ARGS__);					\
	if (g_ != w_)							\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	ok(strcmp(g_, w_) == 0, __VA_ARGS__);				\
	if (strcmp(g_, w_) != 0)					\
		printf("#   got '%s', want '%s'\n", g_, w_);		\
} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

#endif /* SP_TAP_H */
