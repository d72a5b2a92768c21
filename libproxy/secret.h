/*
 * Proxy passwords: from a file that only its owner can read, from an
 * environment variable, or asked for (SSH_ASKPASS or the terminal).
 * Never from the command line, never logged; callers wipe them with
 * sp_secret_free().
 */
#ifndef SP_SECRET_H
#define SP_SECRET_H

#define SP_SECRET_MAX	255	/* RFC 1929 limit; plenty for HTTP too */

int	sp_secret_from_file(const char *, char **);
int	sp_secret_from_env(const char *, char **);
int	sp_secret_ask(const char *, char **);
void	sp_secret_free(char *);

#endif /* SP_SECRET_H */
