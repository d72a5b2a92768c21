/*
 * Host patterns the way ssh_config(5) writes them: '*' matches any run
 * of characters, '?' exactly one, letters match without regard to case,
 * and a pattern list is split on commas and white space.  A list
 * matches when one of its plain patterns does and none of its "!"
 * (negated) patterns does: "*.corp.example !gw.corp.example".
 */
#ifndef SP_MATCH_H
#define SP_MATCH_H

#include <stddef.h>

#define SP_MATCH_NO		0	/* no pattern matched */
#define SP_MATCH_YES		1	/* a plain pattern matched */
#define SP_MATCH_NEGATED	-1	/* a "!" pattern matched: never */

int	sp_match_pattern(const char *, size_t, const char *);
int	sp_match_list(const char *, const char *);
int	sp_match_list_check(const char *, char *, size_t);

#endif /* SP_MATCH_H */
