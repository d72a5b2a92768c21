/* .onion names: recognise them, and check v3 addresses before use. */
#ifndef SP_ONION_H
#define SP_ONION_H

#include <stddef.h>
#include <stdint.h>

int	sp_is_onion(const char *);
int	sp_onion_check(const char *, const char **);
void	sp_sha3_256(const void *, size_t, uint8_t[32]);

#endif /* SP_ONION_H */
