/* vcard.h - writing vCard 4.0 (RFC 6350) into a buf: property values
 * escaped (backslash, comma, semicolon, line breaks), lines folded at 75
 * octets without splitting a UTF-8 character, CRLF line ends.  Pure. */
#ifndef KF_CORE_VCARD_H
#define KF_CORE_VCARD_H

#include "lib/buf.h"

/* BEGIN:VCARD and VERSION:4.0. */
int vcard_begin(buf *b);
int vcard_end(buf *b);
/* One property: NAME[;params]:value, the value escaped as text.  params
 * (e.g. "TYPE=work") is written as given; NULL for none.  Empty values
 * are skipped. */
int vcard_text(buf *b, const char *name, const char *params, const char *value);
/* One property whose value is written as given (already structured or a
 * URI, e.g. "tel:+8613800000000"); still folded. */
int vcard_raw(buf *b, const char *name, const char *params, const char *value);
/* A structured value component: the text escaped, for joining with ';'. */
int vcard_escape(buf *b, const char *text);

#endif
