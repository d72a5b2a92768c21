/*
 * Finding and reading sshproxy.conf for the programs that use it.  Kept
 * apart from nc-run.c so that sshproxy-route, which never reads the
 * file, does not link libconfig.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "err.h"
#include "log.h"
#include "nc-opts.h"

/*
 * -c FILE, else $SSHPROXY_CONFIG, else the first of the user's and the
 * system's files that exists.  "none" reads nothing.  A file named
 * with -c or $SSHPROXY_CONFIG must exist; a missing default is fine.
 * Returns 0 or the exit status (78) with the message printed.
 */
int
nc_load_config(struct nc_opts *o, const char *progname)
{
	char path[4096], err[SP_CFG_ERR_MAX];
	const char *p = o->config_path;
	struct sp_config *cfg;

	if (p == NULL && (p = getenv("SSHPROXY_CONFIG")) != NULL &&
	    p[0] == '\0')
		p = NULL;
	if (p != NULL && strcmp(p, "none") == 0)
		return 0;
	if (p == NULL) {
		if (!sp_config_find(path, sizeof(path)))
			return 0;
		p = path;
	}
	if ((cfg = malloc(sizeof(*cfg))) == NULL) {
		sp_log_init(progname, o->quiet ? SP_LOG_QUIET : SP_LOG_ERROR);
		sp_error("%s", sp_strerror(SP_ERR_NOMEM));
		return SP_EXIT_OSERR;
	}
	if (sp_config_load(p, cfg, err, sizeof(err)) != SP_OK) {
		free(cfg);
		/* Even a probe says why: a broken file is not "unreachable". */
		sp_log_init(progname, o->quiet ? SP_LOG_QUIET : SP_LOG_ERROR);
		sp_error("%s", err);
		return SP_EXIT_CONFIG;
	}
	o->cfg = cfg;
	return 0;
}

void
nc_free_config(struct nc_opts *o)
{
	if (o->cfg == NULL)
		return;
	sp_config_free(o->cfg);
	free(o->cfg);
	o->cfg = NULL;
}
