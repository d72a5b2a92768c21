/*
 * Diagnostics: one line per message on stderr, prefixed with the
 * program name.  Never stdout: stdout is the ssh stream.
 */
#ifndef SP_LOG_H
#define SP_LOG_H

enum sp_log_level {
	SP_LOG_QUIET = -1,	/* -q: nothing at all */
	SP_LOG_ERROR = 0,	/* default: errors only */
	SP_LOG_INFO = 1,	/* -v */
	SP_LOG_DEBUG = 2,	/* -vv */
	SP_LOG_TRACE = 3	/* -vvv */
};

void	sp_log_init(const char *, int);
int	sp_log_level(void);
const char *sp_log_name(void);
int	sp_log_enabled(int);
void	sp_log(int, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#define sp_error(...)	sp_log(SP_LOG_ERROR, __VA_ARGS__)
#define sp_info(...)	sp_log(SP_LOG_INFO, __VA_ARGS__)
#define sp_debug(...)	sp_log(SP_LOG_DEBUG, __VA_ARGS__)
#define sp_trace(...)	sp_log(SP_LOG_TRACE, __VA_ARGS__)

#endif /* SP_LOG_H */
