/* util.h - small helpers: clock, random tokens, hashing, string parsing. */
#ifndef KF_UTIL_H
#define KF_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the Unix epoch, UTC: the one time format we store. */
int64_t util_now_ms(void);
/* Monotonic microseconds, for durations. */
int64_t util_mono_us(void);
/* Fills out with 2*nbytes lowercase hex characters of randomness plus NUL. */
void util_random_hex(char *out, size_t nbytes);
/* out: 65 bytes; the SHA-256 of s in lowercase hex. */
void util_sha256_hex(const char *s, char out[65]);
/* Parses a whole decimal int64; returns 0 on success, -1 otherwise. */
int util_parse_i64(const char *s, int64_t *out);
/* Initialises libsodium; call once at start-up. Returns 0 or -1. */
int util_crypto_init(void);

#endif
