/*
 * Shared bits of the libFuzzer harnesses: a check that stops the run
 * with a message, and a reader that cuts the fuzzer's bytes into small
 * numbers and NUL-terminated strings.
 */
#ifndef SP_FUZZ_H
#define SP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A broken property is a finding, like a crash: abort so libFuzzer saves it. */
#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__,		\
		    __LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/* Is s NUL-terminated within its array of cap bytes? */
#define FUZZ_TERMINATED(s, cap)	(memchr((s), '\0', (cap)) != NULL)

struct fuzz_in {
	const uint8_t	*p;
	size_t		 left;
};

static inline void
fuzz_in_init(struct fuzz_in *in, const uint8_t *data, size_t size)
{
	in->p = data;
	in->left = size;
}

/* One byte, 0 once the input is used up. */
static inline unsigned
fuzz_byte(struct fuzz_in *in)
{
	if (in->left == 0)
		return 0;
	in->left--;
	return *in->p++;
}

/*
 * The next string: up to the next NUL or the end, copied into a fresh
 * allocation of exactly its length plus the NUL, so ASan sees any read
 * past the end.  Never NULL unless out of memory.
 */
static inline char *
fuzz_string(struct fuzz_in *in)
{
	const uint8_t *nul = memchr(in->p, '\0', in->left);
	size_t n = nul != NULL ? (size_t)(nul - in->p) : in->left;
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, in->p, n);
	s[n] = '\0';
	in->p += n;
	in->left -= n;
	if (nul != NULL) {
		in->p++;
		in->left--;
	}
	return s;
}

/* The whole remaining input as one string (cut at its first NUL). */
static inline char *
fuzz_rest(struct fuzz_in *in)
{
	size_t n = in->left;
	char *s;

	if ((s = malloc(n + 1)) == NULL)
		abort();
	memcpy(s, in->p, n);
	s[n] = '\0';
	in->p += n;
	in->left = 0;
	return s;
}

#endif /* SP_FUZZ_H */
