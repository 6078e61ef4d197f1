/* script.h - call scripts (话术, DOMAIN §3): templates with {{variable}}
 * placeholders, filled with the customer's name, the product, the last
 * case... when shown to the agent during a call.  Pure. */
#ifndef KF_CORE_SCRIPT_H
#define KF_CORE_SCRIPT_H

#include <stddef.h>

#include "lib/buf.h"

/* The variables a script may use, terminated by NULL. */
extern const char *const script_vars[];

/* Appends tpl to out with every {{name}} (spaces allowed inside the
 * braces) replaced by values[i] where names[i] == name; an unknown name or
 * an unclosed "{{" is copied as written.  Returns 0, or -1 if out is full. */
int script_render(const char *tpl, const char *const *names, const char *const *values, size_t n,
		  buf *out);

/* The first {{name}} of tpl that is not in script_vars, copied to bad
 * (NUL-terminated, cut to badlen between two UTF-8 characters); 0 if every
 * name is known, 1 if one is not, -1 for an unclosed "{{". */
int script_check(const char *tpl, char *bad, size_t badlen);

#endif
