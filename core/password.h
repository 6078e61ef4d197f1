/* password.h - the password policy for user accounts.
 *
 * Checked when a password is set or changed (never at sign-in, so a policy
 * change does not lock anyone out).  The rules are few and explained to the
 * user: 8..128 bytes, at least one letter (A-Z, a-z) and one digit, not
 * containing the user name, not one of the passwords every attacker tries
 * first.  Hashing is elsewhere; this module never stores or echoes the
 * password. */
#ifndef KF_CORE_PASSWORD_H
#define KF_CORE_PASSWORD_H

#include "core/err.h"

#define PASSWORD_MIN 8
#define PASSWORD_MAX 128

/* Returns 0 if pw may be used by the account named username, or KF_EINVAL
 * with field "password" and a message saying which rule failed.  username
 * may be NULL or ""; it is only looked for when it has 3 or more bytes,
 * because a short name ("li") would forbid too many passwords.  e may be
 * NULL. */
int password_check(const char *pw, const char *username, kf_err *e);

#endif
