#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "onion.h"

/*
 * SHA3-256 (FIPS 202), needed only for the checksum inside v3 onion
 * addresses; small enough not to pull in a crypto library for it.
 */
static const uint64_t keccak_rc[24] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL
};

/* Rotation offsets r[x][y] of the rho step. */
static const unsigned keccak_rho[5][5] = {
	{  0, 36,  3, 41, 18 },
	{  1, 44, 10, 45,  2 },
	{ 62,  6, 43, 15, 61 },
	{ 28, 55, 25, 21, 56 },
	{ 27, 20, 39,  8, 14 }
};

static uint64_t
rotl64(uint64_t v, unsigned n)
{
	return n == 0 ? v : (v << n) | (v >> (64 - n));
}

/* Keccak-f[1600]; lane (x, y) is a[x + 5 * y]. */
static void
keccak_f(uint64_t a[25])
{
	uint64_t c[5], d[5], b[25];
	int round, x, y;

	for (round = 0; round < 24; round++) {
		for (x = 0; x < 5; x++)
			c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^
			    a[x + 20];
		for (x = 0; x < 5; x++)
			d[x] = c[(x + 4) % 5] ^ rotl64(c[(x + 1) % 5], 1);
		for (y = 0; y < 5; y++)
			for (x = 0; x < 5; x++)
				a[x + 5 * y] ^= d[x];
		/* rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y]) */
		for (y = 0; y < 5; y++)
			for (x = 0; x < 5; x++)
				b[y + 5 * ((2 * x + 3 * y) % 5)] =
				    rotl64(a[x + 5 * y], keccak_rho[x][y]);
		for (y = 0; y < 5; y++)
			for (x = 0; x < 5; x++)
				a[x + 5 * y] = b[x + 5 * y] ^
				    (~b[(x + 1) % 5 + 5 * y] &
				    b[(x + 2) % 5 + 5 * y]);
		a[0] ^= keccak_rc[round];
	}
}

void
sp_sha3_256(const void *data, size_t len, uint8_t out[32])
{
	const size_t rate = 136;
	const uint8_t *p = data;
	uint8_t block[136];
	uint64_t a[25];
	size_t i, n;

	memset(a, 0, sizeof(a));
	for (;;) {
		n = len < rate ? len : rate;
		memset(block, 0, sizeof(block));
		memcpy(block, p, n);
		if (n < rate) {
			block[n] ^= 0x06;	/* SHA-3 domain and pad10*1 */
			block[rate - 1] ^= 0x80;
		}
		for (i = 0; i < rate / 8; i++) {
			uint64_t lane = 0;
			int k;

			for (k = 7; k >= 0; k--)
				lane = (lane << 8) | block[i * 8 + (size_t)k];
			a[i] ^= lane;
		}
		keccak_f(a);
		if (n < rate)
			break;
		p += n;
		len -= n;
	}
	for (i = 0; i < 32; i++)
		out[i] = (uint8_t)(a[i / 8] >> (8 * (i % 8)));
}

/* Does the name end in ".onion" (with or without a final dot)? */
int
sp_is_onion(const char *host)
{
	size_t len = strlen(host);

	if (len > 0 && host[len - 1] == '.')
		len--;
	return len >= 6 && strncasecmp(host + len - 6, ".onion", 6) == 0;
}

static int
base32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

/*
 * A v3 onion address (rend-spec-v3, "Encoding onion addresses") is 56
 * base32 characters for 35 bytes: a 32-byte ed25519 public key, a
 * 2-byte checksum, and a version byte of 3, where the checksum is the
 * first two bytes of SHA3-256(".onion checksum" | pubkey | version).
 * Subdomains ("www.<address>.onion") are allowed, as in Tor.
 * Returns SP_OK for a name that is not an onion at all.
 */
int
sp_onion_check(const char *host, const char **why)
{
	static const char prefix[] = ".onion checksum";
	uint8_t raw[35], buf[sizeof(prefix) - 1 + 33], digest[32];
	const char *label, *end;
	size_t len, i;
	unsigned acc = 0;
	int bits = 0, v, n = 0;

	*why = NULL;
	if (!sp_is_onion(host))
		return SP_OK;
	len = strlen(host);
	if (host[len - 1] == '.')
		len--;
	end = host + len - 6;		/* at ".onion" */
	for (label = end; label > host && label[-1] != '.'; label--)
		;
	len = (size_t)(end - label);
	if (len == 16) {
		*why = "v2 onion addresses (16 characters) are no longer "
		    "supported by Tor";
		return SP_ERR_ONION_BAD;
	}
	if (len != 56) {
		*why = "a v3 onion address has 56 characters before .onion";
		return SP_ERR_ONION_BAD;
	}
	for (i = 0; i < 56; i++) {
		if ((v = base32_value(label[i])) < 0) {
			*why = "onion addresses use only the letters a-z and "
			    "digits 2-7";
			return SP_ERR_ONION_BAD;
		}
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			raw[n++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (raw[34] != 3) {
		*why = "unknown onion address version (not 3)";
		return SP_ERR_ONION_BAD;
	}
	memcpy(buf, prefix, sizeof(prefix) - 1);
	memcpy(buf + sizeof(prefix) - 1, raw, 32);
	buf[sizeof(buf) - 1] = 3;
	sp_sha3_256(buf, sizeof(buf), digest);
	if (digest[0] != raw[32] || digest[1] != raw[33]) {
		*why = "onion address checksum does not match (a typo?)";
		return SP_ERR_ONION_BAD;
	}
	return SP_OK;
}
