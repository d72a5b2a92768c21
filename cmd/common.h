/* What every program does at start and on the way out. */
#ifndef SP_CMD_COMMON_H
#define SP_CMD_COMMON_H

#include <signal.h>
#include <stdio.h>

struct sp_cmd_signals {
	sigset_t	wait_mask;	/* mask to wait with (signals open) */
	sigset_t	block_mask;	/* mask while working */
};

extern volatile sig_atomic_t sp_cmd_stop;

int	sp_cmd_init(void);
void	sp_cmd_catch_signals(struct sp_cmd_signals *);
int	sp_cmd_stop_status(void);
int	sp_cmd_bad_args(const char *, int, int, const char *);
int	sp_cmd_version(const char *);
int	sp_cmd_start(const char *);
int	sp_cmd_help(void (*)(FILE *));

#endif /* SP_CMD_COMMON_H */
