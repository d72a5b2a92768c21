/*
 * The opt-in audit log: one JSON object per line per connection, to a
 * file or to syslog.  What was asked for, which rule and route served
 * it, how many bytes went each way, how it ended.  Never a password,
 * never a byte of the stream.
 */
#ifndef SP_AUDIT_H
#define SP_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct sp_audit {
	int	fd;		/* the file, or -1 */
	int	use_syslog;
};

struct sp_audit_rec {
	const char	*program;
	int64_t		 start_ms;	/* wall clock, ms since the epoch */
	int64_t		 end_ms;
	const char	*host;
	unsigned int	 port;
	const char	*action;	/* "relay", "probe", "fdpass" */
	const char	*rule;		/* "file:line", or NULL */
	const char	*route;		/* route name, or NULL */
	const char	*via;		/* hops, without passwords */
	int		 cached;	/* a probe answered from the cache */
	uint64_t	 bytes_out;	/* stdin -> destination */
	uint64_t	 bytes_in;	/* destination -> stdout */
	int		 status;	/* exit status */
	const char	*reason;
};

int64_t	sp_audit_now(void);
int	sp_audit_open(struct sp_audit *, const char *, int);
int	sp_audit_write(struct sp_audit *, const struct sp_audit_rec *);
void	sp_audit_close(struct sp_audit *);
size_t	sp_json_string(char *, size_t, const char *);

#endif /* SP_AUDIT_H */
