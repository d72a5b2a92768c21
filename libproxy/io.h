/* Whole-message I/O on a non-blocking socket, bounded by a deadline. */
#ifndef SP_IO_H
#define SP_IO_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"

int	sp_io_write_all(struct sp_conn *, const void *, size_t, int64_t);
int	sp_io_read_exact(struct sp_conn *, void *, size_t, int64_t);

#endif /* SP_IO_H */
