/*
 * Fuzz the number parsers of libproxy/util.c: sp_parse_seconds() (-w,
 * -i) and sp_parse_uint() (--he-delay and friends).
 *
 * Each result is compared with a plain model of the documented syntax:
 * seconds are digits with an optional '.' and one to three decimals,
 * more than zero and at most SP_SECONDS_MAX; an unsigned number is
 * digits only, within [min, max].
 */
#include "config.h"

#include <limits.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "util.h"

static void
fuzz_seconds(const char *s)
{
	const char *p = s;
	unsigned long long whole = 0, frac = 0;
	int ms = -1, r, digits = 0, fdigits = 0, valid = 1, big = 0;

	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > SP_SECONDS_MAX) {
			big = 1;
			whole = SP_SECONDS_MAX + 1;
		}
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, fdigits++)
			if (fdigits < 3)
				frac = frac * 10 + (unsigned)(*p - '0');
		if (fdigits == 0 || fdigits > 3)
			valid = 0;
	}
	if (*p != '\0' || digits + fdigits == 0 || big)
		valid = 0;
	for (; fdigits < 3; fdigits++)
		frac *= 10;
	if (whole * 1000 + frac == 0)
		valid = 0;

	r = sp_parse_seconds(s, &ms);
	FUZZ_CHECK((r == SP_OK) == valid, "'%s': result %d, model %d", s, r,
	    valid);
	if (r != SP_OK) {
		FUZZ_CHECK(r == SP_ERR_INVALID_ARG, "'%s': odd error %d", s, r);
		FUZZ_CHECK(ms == -1, "'%s': failed but wrote %d", s, ms);
		return;
	}
	FUZZ_CHECK(ms > 0 && (unsigned long long)ms == whole * 1000 + frac,
	    "'%s' gave %d ms", s, ms);
	FUZZ_CHECK(ms <= SP_SECONDS_MAX * 1000 + 999, "'%s' too long", s);
}

static void
fuzz_uint(const char *s, unsigned long min, unsigned long max)
{
	unsigned long v = 0, out = 12345;
	const char *p;
	int r, digits = *s != '\0', over = 0;

	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9') {
			digits = 0;
			break;
		}
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (unsigned long)(*p - '0'), &v))
			over = 1;
	}
	r = sp_parse_uint(s, min, max, &out);
	if (r == SP_OK) {
		FUZZ_CHECK(digits && !over, "'%s' accepted", s);
		FUZZ_CHECK(out == v && v >= min && v <= max,
		    "'%s' gave %lu (min %lu max %lu)", s, out, min, max);
		return;
	}
	FUZZ_CHECK(r == SP_ERR_INVALID_ARG, "'%s': odd error %d", s, r);
	FUZZ_CHECK(out == 12345, "'%s': failed but wrote %lu", s, out);
	/* Refusing a number in range is allowed only near ULONG_MAX. */
	FUZZ_CHECK(!digits || over || v < min || v > max ||
	    v > ULONG_MAX / 100, "'%s' refused (min %lu max %lu)", s, min,
	    max);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned long limits[] = {
		0, 1, 10, 100, 250, 65535, 1000000, 4294967295UL,
		ULONG_MAX / 10, ULONG_MAX - 1, ULONG_MAX
	};
	const size_t nl = sizeof(limits) / sizeof(limits[0]);
	struct fuzz_in in;
	unsigned sel, lo, hi;
	char *s;

	if (size > 256)
		return 0;
	fuzz_in_init(&in, data, size);
	sel = fuzz_byte(&in);
	if (sel & 1) {
		lo = fuzz_byte(&in) % nl;
		hi = fuzz_byte(&in) % nl;
		s = fuzz_rest(&in);
		fuzz_uint(s, limits[lo], limits[hi]);
	} else {
		s = fuzz_rest(&in);
		fuzz_seconds(s);
	}
	free(s);
	return 0;
}
