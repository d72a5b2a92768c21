/* Unit tests: ssh_config-style host patterns and pattern lists. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "tap.h"

static int
pat(const char *p, const char *s)
{
	return sp_match_pattern(p, strlen(p), s);
}

static void
yes(const char *p, const char *s)
{
	ok(pat(p, s) == 1, "'%s' matches '%s'", p, s);
}

static void
no(const char *p, const char *s)
{
	ok(pat(p, s) == 0, "'%s' does not match '%s'", p, s);
}

static void
list(const char *l, const char *s, int want)
{
	is_int(sp_match_list(l, s), want, "list \"%s\" against '%s'", l, s);
}

static void
check_ok(const char *l)
{
	char err[128] = "";

	is_int(sp_match_list_check(l, err, sizeof(err)), 0,
	    "\"%s\" is a usable list", l);
}

static void
check_bad(const char *l, const char *words)
{
	char err[128] = "";
	int r = sp_match_list_check(l, err, sizeof(err));

	ok(r != 0, "\"%s\" is refused", l);
	ok(strstr(err, words) != NULL, "  says \"%s\" (%s)", words, err);
}

int
main(void)
{
	char *s, *p;
	size_t i;

	/* Plain text, case. */
	yes("host", "host");
	yes("HoSt.Example", "host.example");
	yes("host.example", "HOST.EXAMPLE");
	no("host", "hostx");
	no("hostx", "host");
	no("host", "");
	yes("", "");
	no("", "a");

	/* '*' */
	yes("*", "");
	yes("*", "anything.at.all");
	yes("*.example", "a.example");
	yes("*.example", ".example");
	no("*.example", "example");
	yes("a*", "a");
	yes("a*b", "ab");
	yes("a*b", "axxxb");
	no("a*b", "axxxbc");
	yes("a*b*c", "abbbcbc");
	yes("**", "x");
	yes("*.corp.*", "db.corp.example");
	no("*.corp.*", "corp.example");
	yes("127.0.0.*", "127.0.0.1");
	no("127.0.0.*", "127.0.1.1");
	yes("*:*", "::1");

	/* '?' */
	yes("?", "a");
	no("?", "");
	no("?", "ab");
	yes("h?st", "host");
	no("h?st", "hst");
	yes("??*", "ab");
	no("??*", "a");
	yes("10.0.0.?", "10.0.0.7");
	no("10.0.0.?", "10.0.0.17");

	/* The length is the pattern's, not up to a NUL. */
	ok(sp_match_pattern("hostXYZ", 4, "host") == 1,
	    "only plen bytes of the pattern count");
	ok(sp_match_pattern("h*,other", 2, "hello") == 1,
	    "a pattern ends at plen even before a comma");

	/* Lists: commas and white space, negation. */
	list("a,b,c", "b", SP_MATCH_YES);
	list("a b\tc", "c", SP_MATCH_YES);
	list("a, b ,c", "b", SP_MATCH_YES);
	list(" , a ,, ", "a", SP_MATCH_YES);
	list("a,b,c", "d", SP_MATCH_NO);
	list("*.corp !gw.corp", "db.corp", SP_MATCH_YES);
	list("*.corp !gw.corp", "gw.corp", SP_MATCH_NEGATED);
	list("*.corp,!gw.corp", "GW.CORP", SP_MATCH_NEGATED);
	list("!gw.corp *.corp", "gw.corp", SP_MATCH_NEGATED);
	list("*.corp !gw.corp", "other", SP_MATCH_NO);
	list("!gw.corp", "other", SP_MATCH_NO);
	/* A negation that matches makes the whole list fail. */
	list("* !10.*", "10.1.2.3", SP_MATCH_NEGATED);
	list("10.1.2.3 !10.*", "10.1.2.3", SP_MATCH_NEGATED);
	list("* !10.*", "11.1.2.3", SP_MATCH_YES);
	list("", "x", SP_MATCH_NO);

	/* sp_match_list_check */
	check_ok("*");
	check_ok("a,b");
	check_ok("* !x");
	check_ok("!x *");
	check_ok("  a  ");
	check_bad("", "empty");
	check_bad("   ", "empty");
	check_bad(" , ,", "empty");
	check_bad("!", "'!' must be followed");
	check_bad("a !", "'!' must be followed");
	check_bad("a, !,b", "'!' must be followed");
	check_bad("!!a", "'!!'");
	check_bad("a !!b", "'!!'");
	check_bad("!a", "only negated");
	check_bad("!a, !b", "only negated");
	check_bad("a\001b", "control character");
	check_bad("a\033", "control character");

	/* Pathological patterns finish (no timing assertion). */
	s = malloc(20001);
	p = malloc(2001);
	if (s == NULL || p == NULL)
		return 1;
	memset(s, 'a', 20000);
	s[20000] = '\0';
	for (i = 0; i < 2000; i += 2) {
		p[i] = '*';
		p[i + 1] = 'a';
	}
	p[1999] = 'b';		/* ...*a*b: never matches */
	p[2000] = '\0';
	ok(sp_match_pattern(p, strlen(p), s) == 0,
	    "1000 stars against 20000 bytes: returns, no match");
	p[1999] = 'a';
	ok(sp_match_pattern(p, strlen(p), s) == 1,
	    "1000 stars against 20000 bytes: returns, match");
	memset(p, '*', 2000);
	ok(sp_match_pattern(p, strlen(p), s) == 1, "2000 stars: match");
	memset(p, '?', 2000);
	p[1999] = '*';
	ok(sp_match_pattern(p, strlen(p), s) == 1, "1999 '?' then '*'");
	for (i = 0; i < 2000; i++)
		p[i] = i % 3 == 2 ? 'b' : '*';
	ok(sp_match_list(p, s) == SP_MATCH_NO, "a list of '**b' patterns");
	free(s);
	free(p);

	return tap_done();
}
