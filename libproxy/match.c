#include "config.h"

#include <stdio.h>
#include <string.h>

#include "match.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
is_sep(int c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Does the pattern pat (plen bytes, not NUL-terminated) match all of s?
 * One backtracking point is enough: when a later '*' matches, an
 * earlier one never needs to give characters back.  So this runs in
 * time proportional to plen * strlen(s) at worst, whatever the input.
 */
int
sp_match_pattern(const char *pat, size_t plen, const char *s)
{
	size_t p = 0, star = (size_t)-1, mark = 0, i = 0;
	size_t slen = strlen(s);

	while (i < slen) {
		if (p < plen && pat[p] == '*') {
			star = p++;
			mark = i;
		} else if (p < plen && (pat[p] == '?' ||
		    lower((unsigned char)pat[p]) ==
		    lower((unsigned char)s[i]))) {
			p++;
			i++;
		} else if (star != (size_t)-1) {
			p = star + 1;
			i = ++mark;
		} else
			return 0;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/*
 * The next pattern of a list: its start and length in *w and *n, and
 * whether it was negated ('!' not included).  Returns 0 at the end.
 */
static int
next_pattern(const char **pp, const char **w, size_t *n, int *neg)
{
	const char *p = *pp;

	while (*p != '\0' && is_sep((unsigned char)*p))
		p++;
	if (*p == '\0')
		return 0;
	*neg = *p == '!';
	if (*neg)
		p++;
	for (*w = p; *p != '\0' && !is_sep((unsigned char)*p); p++)
		;
	*n = (size_t)(p - *w);
	*pp = p;
	return 1;
}

/* SP_MATCH_YES, SP_MATCH_NO or SP_MATCH_NEGATED for s against list. */
int
sp_match_list(const char *list, const char *s)
{
	const char *p = list, *w;
	size_t n;
	int neg, found = SP_MATCH_NO;

	while (next_pattern(&p, &w, &n, &neg)) {
		if (!sp_match_pattern(w, n, s))
			continue;
		if (neg)
			return SP_MATCH_NEGATED;
		found = SP_MATCH_YES;
	}
	return found;
}

/*
 * Is list a usable pattern list?  Refuses an empty list, a lone "!",
 * a list of negations only (it could never match, a common mistake),
 * and control characters.  On failure, err says why; returns 0 if fine.
 */
int
sp_match_list_check(const char *list, char *err, size_t errlen)
{
	const char *p = list, *w;
	size_t n;
	int plain = 0, any = 0, neg;

	for (w = list; *w != '\0'; w++)
		if ((unsigned char)*w < 0x20 && !is_sep((unsigned char)*w)) {
			snprintf(err, errlen, "control character in pattern");
			return -1;
		}
	while (next_pattern(&p, &w, &n, &neg)) {
		if (n == 0) {
			snprintf(err, errlen, "'!' must be followed by a "
			    "pattern");
			return -1;
		}
		if (*w == '!') {
			snprintf(err, errlen, "'!!' is not a pattern");
			return -1;
		}
		any = 1;
		plain |= !neg;
	}
	if (!any) {
		snprintf(err, errlen, "empty pattern list");
		return -1;
	}
	if (!plain) {
		snprintf(err, errlen, "only negated patterns: it can never "
		    "match (add \"*\" to match everything else)");
		return -1;
	}
	return 0;
}
