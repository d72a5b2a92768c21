#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"

void
sp_conn_init(struct sp_conn *c, int fd)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
}

void
sp_conn_close(struct sp_conn *c)
{
	if (c->ops != NULL && c->ops->close != NULL)
		c->ops->close(c);
	else if (c->fd != -1)
		close(c->fd);
	free(c->pending);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}
