/*
 * Fuzz the ssh_config-style patterns of libproxy/match.c.
 *
 * The input is "pattern NUL string [NUL list]".  Properties:
 *   - sp_match_pattern agrees with a plain recursive matcher written
 *     here (inputs are kept short, so its exponential worst case is
 *     still quick);
 *   - case never changes the answer;
 *   - a pattern without wildcards matches exactly the same text;
 *     "*" matches everything;
 *   - sp_match_list answers -1, 0 or 1, and a list that
 *     sp_match_list_check accepts holds a plain pattern, so the string
 *     itself, used as a one-pattern list, matches.
 * sp_match_pattern is also run on long inputs to catch the slow
 * backtracking a naive matcher has (libFuzzer's -timeout finds it).
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "fuzz.h"
#include "match.h"

static int
low(int c)
{
	return tolower((unsigned char)c);
}

static int
ref_match(const char *p, size_t plen, const char *s)
{
	if (plen == 0)
		return *s == '\0';
	if (*p == '*')
		return ref_match(p + 1, plen - 1, s) ||
		    (*s != '\0' && ref_match(p, plen, s + 1));
	if (*s == '\0')
		return 0;
	if (*p != '?' && low(*p) != low(*s))
		return 0;
	return ref_match(p + 1, plen - 1, s + 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in;
	char *pat, *s, *list, *up, err[128];
	size_t plen, i, stars;
	int r, r2;

	if (size > 4096)
		return 0;
	fuzz_in_init(&in, data, size);
	pat = fuzz_string(&in);
	s = fuzz_string(&in);
	list = fuzz_rest(&in);
	plen = strlen(pat);

	r = sp_match_pattern(pat, plen, s);
	FUZZ_CHECK(r == 0 || r == 1, "pattern answer %d", r);
	for (i = stars = 0; i < plen; i++)
		stars += pat[i] == '*';
	/* The reference matcher is exponential in the stars: keep it small. */
	if (stars <= 6 && plen <= 40 && strlen(s) <= 40)
		FUZZ_CHECK(r == ref_match(pat, plen, s), "'%s' vs '%s': %d",
		    pat, s, r);
	if ((up = strdup(s)) == NULL)
		abort();
	for (i = 0; up[i] != '\0'; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	r2 = sp_match_pattern(pat, plen, up);
	FUZZ_CHECK(r == r2, "case changed '%s' vs '%s'", pat, s);
	free(up);
	if (strpbrk(s, "*?") == NULL)
		FUZZ_CHECK(sp_match_pattern(s, strlen(s), s) == 1,
		    "'%s' does not match itself", s);
	FUZZ_CHECK(sp_match_pattern("*", 1, s) == 1, "* missed '%s'", s);

	r = sp_match_list(list, s);
	FUZZ_CHECK(r == SP_MATCH_NO || r == SP_MATCH_YES ||
	    r == SP_MATCH_NEGATED, "list answer %d", r);
	if (sp_match_list_check(list, err, sizeof(err)) != 0)
		FUZZ_CHECK(err[0] != '\0' && FUZZ_TERMINATED(err, sizeof(err)),
		    "refused without a reason");
	if (s[0] != '\0' && s[0] != '!' && strpbrk(s, "*?, \t\r\n") == NULL &&
	    sp_match_list_check(s, err, sizeof(err)) == 0)
		FUZZ_CHECK(sp_match_list(s, s) == SP_MATCH_YES,
		    "'%s' as a list misses itself", s);
	free(pat);
	free(s);
	free(list);
	return 0;
}
