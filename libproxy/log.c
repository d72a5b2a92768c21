#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "sshproxy";
static int log_level = SP_LOG_ERROR;

void
sp_log_init(const char *prog, int level)
{
	const char *slash;

	if (prog != NULL) {
		slash = strrchr(prog, '/');
		log_prog = slash != NULL ? slash + 1 : prog;
	}
	log_level = level;
}

const char *
sp_log_name(void)
{
	return log_prog;
}

int
sp_log_level(void)
{
	return log_level;
}

int
sp_log_enabled(int level)
{
	return level <= log_level;
}

/*
 * Format the whole line first and write it with one write(2), so lines
 * from concurrent processes sharing ssh's stderr do not interleave.
 * Control characters from untrusted input (host names, proxy replies)
 * are shown escaped so they cannot move the user's cursor.
 */
void
sp_log(int level, const char *fmt, ...)
{
	char msg[1024], line[1200];
	size_t n, i;
	int saved_errno = errno, len;
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	len = snprintf(line, sizeof(line) / 2, "%s: ", log_prog);
	n = len < 0 ? 0 : (size_t)len;
	if (n >= sizeof(line) / 2)
		n = sizeof(line) / 2 - 1;
	for (i = 0; msg[i] != '\0' && n < sizeof(line) - 5; i++) {
		unsigned char c = (unsigned char)msg[i];

		if (c < 0x20 || c == 0x7f) {
			snprintf(line + n, sizeof(line) - n, "\\x%02x", c);
			n += 4;
		} else
			line[n++] = (char)c;
	}
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
	errno = saved_errno;
}
