/* err.h - errors as values.
 *
 * Every fallible function returns 0 on success or a negative kf_code, and
 * fills a kf_err with the field at fault and a message for people in both
 * languages.  One table (err.c) maps each code to its HTTP status, its
 * stable machine name and a title; the HTTP layer turns a kf_err into
 * application/problem+json (RFC 9457) in the language the client asked for. */
#ifndef KF_CORE_ERR_H
#define KF_CORE_ERR_H

#include <stddef.h>
#include <stdint.h>

enum kf_code {
	KF_OK = 0,
	KF_EINVAL = -1,        /* a field has a bad value */
	KF_EJSON = -2,         /* the body is not JSON, or not an object */
	KF_ETOOBIG = -3,       /* request body over the limit */
	KF_ENOTFOUND = -4,     /* the resource does not exist */
	KF_ENOROUTE = -5,      /* no such route */
	KF_EMETHOD = -6,       /* route exists, method does not */
	KF_EAUTH = -7,         /* not signed in */
	KF_EFORBIDDEN = -8,    /* signed in, role too low */
	KF_ECSRF = -9,         /* missing or wrong CSRF token */
	KF_ECONFLICT = -10,    /* duplicate or state conflict */
	KF_ELOGIN = -11,       /* wrong user name or password */
	KF_ETHROTTLED = -12,   /* too many attempts */
	KF_EMEDIA = -13,       /* wrong content type */
	KF_EINTERNAL = -14,    /* a bug or an unavailable dependency */
	KF_EDB = -15,          /* the database failed */
	KF_EDISABLED = -16,    /* account disabled */
	KF_EGONE = -17,        /* existed, but no longer usable (a used or expired link) */
	KF_ECODE_MIN = -17,
};

typedef struct kf_err {
	int code;
	const char *field; /* static string or arena-owned; may be NULL */
	char zh[256];
	char en[256];
	int64_t ref_id; /* e.g. the existing customer on a duplicate phone; 0 if none */
} kf_err;

struct kf_code_info {
	int status;        /* HTTP status */
	const char *name;  /* stable machine code, e.g. "invalid" */
	const char *title_zh;
	const char *title_en;
};

const struct kf_code_info *kf_code_info(int code);
void kf_err_clear(kf_err *e);
/* Fills e and returns code, so callers write `return kf_fail(e, ...)`.
 * zh and en are printf formats taking the same arguments. */
int kf_fail(kf_err *e, int code, const char *field, const char *zh, const char *en, ...);
/* Cuts a message that snprintf cut at its buffer's end back to a whole
 * UTF-8 character (a message quoting user text must stay UTF-8: it goes
 * out as JSON).  kf_fail and http_fail call it. */
void kf_msg_fit(char *s, size_t size);

#endif
