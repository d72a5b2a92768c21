#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "err.h"
#include "log.h"
#include "secret.h"

void
sp_secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Keep the first line, without its line ending. */
static int
take_line(const char *buf, size_t len, char **out)
{
	size_t n = 0;
	char *s;

	while (n < len && buf[n] != '\n' && buf[n] != '\r' && buf[n] != '\0')
		n++;
	if (n > SP_SECRET_MAX)
		return SP_ERR_INVALID_ARG;
	if ((s = malloc(n + 1)) == NULL)
		return SP_ERR_NOMEM;
	memcpy(s, buf, n);
	s[n] = '\0';
	*out = s;
	return SP_OK;
}

/* Like ssh with private keys: refuse a file others can read. */
int
sp_secret_from_file(const char *path, char **out)
{
	char buf[SP_SECRET_MAX + 2];
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, r;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return SP_ERR_ERRNO(errno);
	if (fstat(fd, &st) == -1) {
		r = SP_ERR_ERRNO(errno);
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return SP_ERR_INVALID_ARG;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return SP_ERR_PASSWORD_PERMS;
	}
	while (got < sizeof(buf) &&
	    (n = read(fd, buf + got, sizeof(buf) - got)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			r = SP_ERR_ERRNO(errno);
			close(fd);
			explicit_bzero(buf, sizeof(buf));
			return r;
		}
		got += (size_t)n;
	}
	close(fd);
	r = take_line(buf, got, out);
	explicit_bzero(buf, sizeof(buf));
	return r;
}

int
sp_secret_from_env(const char *var, char **out)
{
	const char *v;

	*out = NULL;
	if ((v = getenv(var)) == NULL)
		return SP_ERR_NO_PASSWORD;
	return take_line(v, strlen(v), out);
}

/* Run $SSH_ASKPASS "prompt" and read its answer, as ssh does. */
static int
ask_program(const char *prog, const char *prompt, char **out)
{
	char buf[SP_SECRET_MAX + 2];
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int p[2], status = -1, r;

	if (pipe(p) == -1)
		return SP_ERR_ERRNO(errno);
	if ((pid = fork()) == -1) {
		r = SP_ERR_ERRNO(errno);
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0) {
		int null;

		/* Our stdin is ssh's data stream: not the helper's to read. */
		close(p[0]);
		if ((null = open("/dev/null", O_RDONLY)) == -1 ||
		    dup2(null, STDIN_FILENO) == -1 ||
		    dup2(p[1], STDOUT_FILENO) == -1)
			_exit(127);
		execlp(prog, prog, prompt, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (got < sizeof(buf) &&
	    (n = read(p[0], buf + got, sizeof(buf) - got)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	close(p[0]);
	while ((r = (int)waitpid(pid, &status, 0)) == -1 && errno == EINTR)
		;
	if (r == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		explicit_bzero(buf, sizeof(buf));
		return SP_ERR_NO_PASSWORD;
	}
	r = take_line(buf, got, out);
	explicit_bzero(buf, sizeof(buf));
	return r;
}

/* Prompt on the controlling terminal with echo off. */
static int
ask_tty(const char *prompt, char **out)
{
	struct termios old, quiet;
	char buf[SP_SECRET_MAX + 2];
	size_t got = 0;
	ssize_t n;
	int fd, r;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return SP_ERR_NO_PASSWORD;
	if (tcgetattr(fd, &old) == -1) {
		close(fd);
		return SP_ERR_NO_PASSWORD;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	(void)!write(fd, prompt, strlen(prompt));
	(void)tcsetattr(fd, TCSAFLUSH, &quiet);
	while (got < sizeof(buf)) {
		n = read(fd, buf + got, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || buf[got] == '\n')
			break;
		got++;
	}
	(void)tcsetattr(fd, TCSAFLUSH, &old);
	(void)!write(fd, "\n", 1);
	close(fd);
	r = take_line(buf, got, out);
	explicit_bzero(buf, sizeof(buf));
	return r;
}

/*
 * ssh's rules: SSH_ASKPASS when SSH_ASKPASS_REQUIRE=force, or when
 * there is no terminal and DISPLAY or SSH_ASKPASS_REQUIRE=prefer says a
 * helper can be used; the terminal otherwise.
 */
int
sp_secret_ask(const char *prompt, char **out)
{
	const char *prog = getenv("SSH_ASKPASS");
	const char *req = getenv("SSH_ASKPASS_REQUIRE");
	int tty, use_prog;

	*out = NULL;
	if ((tty = open("/dev/tty", O_RDWR | O_CLOEXEC)) != -1) {
		close(tty);
		tty = 1;
	} else
		tty = 0;
	use_prog = prog != NULL && *prog != '\0' &&
	    ((req != NULL && strcmp(req, "force") == 0) ||
	    (!tty && ((req != NULL && strcmp(req, "prefer") == 0) ||
	    getenv("DISPLAY") != NULL)));
	if (req != NULL && strcmp(req, "never") == 0)
		use_prog = 0;
	if (use_prog)
		return ask_program(prog, prompt, out);
	if (tty)
		return ask_tty(prompt, out);
	return SP_ERR_NO_PASSWORD;
}
