#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "err.h"
#include "onion.h"

#define CACHE_MAGIC	"sshproxy-probe-cache 1"

/* Is path a directory of ours that no one else may write into? */
static int
safe_dir(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return SP_ERR_ERRNO(errno);
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return SP_ERR_ERRNO(EPERM);
	return SP_OK;
}

/*
 * The cache directory, created if need be: $XDG_RUNTIME_DIR/sshproxy,
 * else /tmp/sshproxy-UID.  Refused if it is not a directory owned by
 * us and closed to others (a planted /tmp directory or symlink).
 */
int
sp_cache_dir(char *buf, size_t len)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	int r;

	if (run != NULL && run[0] == '/' && safe_dir(run) == SP_OK)
		snprintf(buf, len, "%s/sshproxy", run);
	else
		snprintf(buf, len, "/tmp/sshproxy-%lu",
		    (unsigned long)geteuid());
	if (mkdir(buf, 0700) == -1 && errno != EEXIST)
		return SP_ERR_ERRNO(errno);
	if ((r = safe_dir(buf)) != SP_OK)
		return r;
	return SP_OK;
}

/* The file for one key: a hash, so any host name makes a safe name. */
static int
entry_path(const char *key, char *buf, size_t len)
{
	char dir[4096];
	uint8_t d[32];
	int r, i;

	if ((r = sp_cache_dir(dir, sizeof(dir))) != SP_OK)
		return r;
	sp_sha3_256(key, strlen(key), d);
	snprintf(buf, len, "%s/probe-", dir);
	for (i = 0; i < 16; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%02x", d[i]);
	return SP_OK;
}

/*
 * A cached result for key no older than max_age seconds: SP_OK with
 * *result (0 reachable, 1 not) and *age, or SP_ERR_NOHOST when there
 * is none to trust.
 */
int
sp_cache_get(const char *key, int max_age, int *result, long *age)
{
	char path[4200], buf[2048], *p, *line2, *line3, *line4;
	time_t now = time(NULL);
	long long when;
	ssize_t n;
	int fd, r;

	if ((r = entry_path(key, path, sizeof(path))) != SP_OK)
		return r;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return SP_ERR_NOHOST;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return SP_ERR_NOHOST;
	buf[n] = '\0';
	/* magic \n time \n result \n key \n */
	if ((line2 = strchr(buf, '\n')) == NULL)
		return SP_ERR_NOHOST;
	*line2++ = '\0';
	if (strcmp(buf, CACHE_MAGIC) != 0 ||
	    (line3 = strchr(line2, '\n')) == NULL)
		return SP_ERR_NOHOST;
	*line3++ = '\0';
	if ((line4 = strchr(line3, '\n')) == NULL)
		return SP_ERR_NOHOST;
	*line4++ = '\0';
	if ((p = strchr(line4, '\n')) == NULL || p[1] != '\0')
		return SP_ERR_NOHOST;
	*p = '\0';
	if (strcmp(line4, key) != 0)
		return SP_ERR_NOHOST;	/* another key with that hash */
	errno = 0;
	when = strtoll(line2, &p, 10);
	if (errno != 0 || *p != '\0' || p == line2)
		return SP_ERR_NOHOST;
	/* Never trusted past its age, nor from the future. */
	if (when > (long long)now || (long long)now - when >= max_age)
		return SP_ERR_NOHOST;
	if (strcmp(line3, "0") != 0 && strcmp(line3, "1") != 0)
		return SP_ERR_NOHOST;
	*result = line3[0] - '0';
	*age = (long)((long long)now - when);
	return SP_OK;
}

/* Store result for key: write a temporary file, then rename it. */
int
sp_cache_put(const char *key, int result)
{
	char path[4200], tmp[4300], buf[2048];
	int fd, n, r, e;

	if ((r = entry_path(key, path, sizeof(path))) != SP_OK)
		return r;
	n = snprintf(buf, sizeof(buf), "%s\n%lld\n%d\n%s\n", CACHE_MAGIC,
	    (long long)time(NULL), result != 0, key);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return SP_ERR_INVALID_ARG;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		return SP_ERR_ERRNO(errno);
	if (write(fd, buf, (size_t)n) != n) {
		e = errno != 0 ? errno : EIO;
		close(fd);
		unlink(tmp);
		return SP_ERR_ERRNO(e);
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		e = errno;
		unlink(tmp);
		return SP_ERR_ERRNO(e);
	}
	return SP_OK;
}
