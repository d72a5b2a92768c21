#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "err.h"

int64_t
sp_audit_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * s as a JSON string, quotes included, into buf.  Control characters
 * and bytes that are not ASCII are written as \u00XX escapes, so a
 * line is always valid JSON and one line.  Returns the length it
 * needed (like snprintf); buf is always terminated.
 */
size_t
sp_json_string(char *buf, size_t len, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[8];
	size_t n = 0, k, t;
	const unsigned char *p;

	if (len > 0)
		buf[0] = '\0';
	if (len > 1) {
		buf[0] = '"';
		buf[1] = '\0';
	}
	n = 1;
	for (p = (const unsigned char *)(s != NULL ? s : ""); *p != '\0';
	    p++) {
		if (*p == '"' || *p == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)*p;
			t = 2;
		} else if (*p < 0x20 || *p >= 0x7f) {
			memcpy(tmp, "\\u00", 4);
			tmp[4] = hex[*p >> 4];
			tmp[5] = hex[*p & 15];
			t = 6;
		} else {
			tmp[0] = (char)*p;
			t = 1;
		}
		for (k = 0; k < t; k++, n++)
			if (n + 1 < len)
				buf[n] = tmp[k];
	}
	if (n + 1 < len)
		buf[n] = '"';
	n++;
	if (len > 0)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

static void
iso_time(int64_t ms, char *buf, size_t len)
{
	struct tm tm;
	time_t t = (time_t)(ms / 1000);

	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/*
 * Open the log: a file (created 0600, appended to, never through a
 * symlink) or syslog.  Returns SP_OK or the errno code.
 */
int
sp_audit_open(struct sp_audit *a, const char *file, int use_syslog)
{
	a->fd = -1;
	a->use_syslog = use_syslog;
	if (file != NULL && (a->fd = open(file, O_WRONLY | O_APPEND |
	    O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600)) == -1)
		return SP_ERR_ERRNO(errno);
	if (use_syslog)
		openlog("sshproxy", LOG_PID, LOG_AUTHPRIV);
	return SP_OK;
}

/*
 * One record, written with a single write(2) to a file opened with
 * O_APPEND, so lines from concurrent connections never interleave.
 */
int
sp_audit_write(struct sp_audit *a, const struct sp_audit_rec *r)
{
	char line[4096], start[64], end[64];
	char program[80], host[600], action[40], rule[600], route[200],
	    via[1200], reason[600];
	int n;

	if (a->fd < 0 && !a->use_syslog)
		return SP_OK;
	iso_time(r->start_ms, start, sizeof(start));
	iso_time(r->end_ms, end, sizeof(end));
	sp_json_string(program, sizeof(program), r->program);
	sp_json_string(host, sizeof(host), r->host);
	sp_json_string(action, sizeof(action), r->action);
	if (r->rule != NULL)
		sp_json_string(rule, sizeof(rule), r->rule);
	else
		snprintf(rule, sizeof(rule), "null");
	if (r->route != NULL)
		sp_json_string(route, sizeof(route), r->route);
	else
		snprintf(route, sizeof(route), "null");
	sp_json_string(via, sizeof(via), r->via);
	sp_json_string(reason, sizeof(reason), r->reason);
	n = snprintf(line, sizeof(line),
	    "{\"start\":\"%s\",\"end\":\"%s\",\"program\":%s,\"pid\":%ld,"
	    "\"uid\":%lu,\"host\":%s,\"port\":%u,\"action\":%s,"
	    "\"rule\":%s,\"route\":%s,\"via\":%s,\"cached\":%s,"
	    "\"bytes_out\":%llu,\"bytes_in\":%llu,\"duration_ms\":%lld,"
	    "\"exit\":%d,\"reason\":%s}\n",
	    start, end, program, (long)getpid(), (unsigned long)getuid(),
	    host, r->port, action, rule, route, via,
	    r->cached ? "true" : "false", (unsigned long long)r->bytes_out,
	    (unsigned long long)r->bytes_in,
	    (long long)(r->end_ms - r->start_ms), r->status, reason);
	if (n < 0 || (size_t)n >= sizeof(line))
		return SP_ERR_INVALID_ARG;
	if (a->use_syslog) {
		line[n - 1] = '\0';
		syslog(LOG_INFO, "%s", line);
		return SP_OK;
	}
	if (write(a->fd, line, (size_t)n) != n)
		return SP_ERR_ERRNO(errno != 0 ? errno : EIO);
	return SP_OK;
}

void
sp_audit_close(struct sp_audit *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->use_syslog)
		closelog();
	a->use_syslog = 0;
}
