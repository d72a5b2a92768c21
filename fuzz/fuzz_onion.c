/*
 * Fuzz the .onion checks of libproxy/onion.c.
 *
 * Two kinds of input, picked by the first byte:
 *   - a name, given to sp_onion_check() as it is and in upper case: the
 *     answer may not depend on case, a refusal always says why, and an
 *     accepted v3 name has a 56-character label before ".onion";
 *   - 32 bytes of public key: we write the v3 address for it by the
 *     rules of rend-spec-v3 (our own base32, SHA3-256 from onion.c),
 *     which must be accepted, with and without a subdomain and a final
 *     dot; the same address with one character of the checksum or
 *     version changed must be refused.
 * SHA3-256 itself is checked once against the FIPS 202 examples.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "onion.h"

static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";

static void
sha3_known_answers(void)
{
	static int done;
	/* SHA3-256("") and SHA3-256("abc"), first and last bytes. */
	uint8_t d[32];

	if (done)
		return;
	done = 1;
	sp_sha3_256("", 0, d);
	FUZZ_CHECK(d[0] == 0xa7 && d[1] == 0xff && d[31] == 0x4a,
	    "SHA3-256 of nothing is wrong");
	sp_sha3_256("abc", 3, d);
	FUZZ_CHECK(d[0] == 0x3a && d[1] == 0x98 && d[31] == 0x32,
	    "SHA3-256 of abc is wrong");
}

static void
fuzz_name(const char *s)
{
	const char *why = "unset", *why2 = "unset";
	char *up;
	size_t i, len = strlen(s);
	int r, r2;

	r = sp_onion_check(s, &why);
	FUZZ_CHECK(r == SP_OK || r == SP_ERR_ONION_BAD, "odd result %d", r);
	FUZZ_CHECK((r == SP_OK) == (why == NULL), "why is %s",
	    why == NULL ? "NULL" : why);
	if (!sp_is_onion(s))
		FUZZ_CHECK(r == SP_OK, "not an onion, yet refused");

	if ((up = strdup(s)) == NULL)
		abort();
	for (i = 0; i < len; i++)
		up[i] = (char)toupper((unsigned char)up[i]);
	r2 = sp_onion_check(up, &why2);
	FUZZ_CHECK(r == r2, "'%s' %d but upper case %d", s, r, r2);
	FUZZ_CHECK(sp_is_onion(s) == sp_is_onion(up), "case changes "
	    "sp_is_onion");
	free(up);

	if (r == SP_OK && sp_is_onion(s)) {
		const char *end = s + len - (s[len - 1] == '.' ? 7 : 6);
		const char *label = end;

		while (label > s && label[-1] != '.')
			label--;
		FUZZ_CHECK(end - label == 56, "accepted a label of %zu",
		    (size_t)(end - label));
	}
}

/* Base32 (RFC 4648, lower case, no padding) of 35 bytes: 56 chars. */
static void
base32_35(const uint8_t raw[35], char out[57])
{
	unsigned acc = 0;
	int bits = 0, n = 0;
	size_t i;

	for (i = 0; i < 35; i++) {
		acc = (acc << 8) | raw[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[n++] = b32[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1;
	}
	out[n] = '\0';
}

static void
fuzz_key(const uint8_t *key, unsigned how, unsigned pos, unsigned delta)
{
	static const char prefix[] = ".onion checksum";
	uint8_t raw[35], buf[sizeof(prefix) - 1 + 33], d[32];
	char label[57], name[128];
	const char *why;
	int r;

	memcpy(buf, prefix, sizeof(prefix) - 1);
	memcpy(buf + sizeof(prefix) - 1, key, 32);
	buf[sizeof(buf) - 1] = 3;
	sp_sha3_256(buf, sizeof(buf), d);
	memcpy(raw, key, 32);
	raw[32] = d[0];
	raw[33] = d[1];
	raw[34] = 3;
	base32_35(raw, label);

	snprintf(name, sizeof(name), "%s%s.onion%s", how & 1 ? "www." : "",
	    label, how & 2 ? "." : "");
	r = sp_onion_check(name, &why);
	FUZZ_CHECK(r == SP_OK, "valid '%s' refused: %s", name, why);

	/*
	 * Characters 52-55 hold bits 260-279: checksum and version only,
	 * so any change there must be caught.
	 */
	pos = 52 + pos % 4;
	delta = 1 + delta % 31;
	label[pos] = b32[(strchr(b32, label[pos]) - b32 + delta) % 32];
	snprintf(name, sizeof(name), "%s.onion", label);
	r = sp_onion_check(name, &why);
	FUZZ_CHECK(r == SP_ERR_ONION_BAD && why != NULL,
	    "damaged '%s' accepted", name);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in;
	unsigned sel;
	char *s;

	if (size > 512)
		return 0;
	sha3_known_answers();
	fuzz_in_init(&in, data, size);
	sel = fuzz_byte(&in);
	if ((sel & 0x80) && in.left >= 34) {
		const uint8_t *key = in.p;

		fuzz_key(key, sel, key[32], key[33]);
		return 0;
	}
	s = fuzz_rest(&in);
	fuzz_name(s);
	free(s);
	return 0;
}
