/* mail_parse.c - MIME in and out with GMime 3.
 *
 * In: the headers are decoded by GMime (encoded words in any charset
 * iconv knows, =?GB2312?B?...?= included); text parts are converted to
 * UTF-8 from their declared charset, and a part that declares none but is
 * not valid UTF-8 is read as GB18030, which is what Chinese mail clients
 * send when they forget to say.  The first text/plain and text/html parts
 * that are not attachments are the body; parts with a filename or
 * Content-Disposition: attachment are attachments, decoded.
 *
 * Out: GMime writes the message, encoding the Subject and the body
 * (base64 for UTF-8 text) as RFC 2047 / 2045 require. */
#include "app/mail.h"

#include <gmime/gmime.h>
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"
#include "lib/util.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
	g_mime_init();
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

/* 1 if s[0..n) is well-formed UTF-8 (shortest forms, no surrogates, at
 * most U+10FFFF): what the database will take as text.  Controls are fine
 * in mail text; only the encoding matters here. */
static int utf8_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p++, cp, min;
		int more;
		if (c < 0x80)
			continue;
		if ((c & 0xE0) == 0xC0)
			more = 1, cp = c & 0x1F, min = 0x80;
		else if ((c & 0xF0) == 0xE0)
			more = 2, cp = c & 0x0F, min = 0x800;
		else if ((c & 0xF8) == 0xF0)
			more = 3, cp = c & 0x07, min = 0x10000;
		else
			return 0;
		if (e - p < more)
			return 0;
		for (; more; more--, p++) {
			if ((*p & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (*p & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
	}
	return 1;
}

static char *from_gb18030(const char *s, size_t n)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return strndup(s, n);
	size_t cap = n * 2 + 16, ol = cap - 1;
	char *out = malloc(cap), *op = out, *ip = (char *)s;
	size_t il = n;
	while (il && iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		if (ol < 4)
			break;
		*op++ = '?';
		ol--;
		ip++;
		il--;
	}
	*op = '\0';
	iconv_close(cd);
	return out;
}

/* A decoded header as valid UTF-8 (takes s): GMime passes through the
 * bytes of an encoded word it could not convert (GBK bytes labelled
 * GB2312, say), so what is not UTF-8 is read as GB18030, and whatever
 * still is not becomes '?'. */
static char *header_utf8(char *s)
{
	if (!s || utf8_ok(s, strlen(s)))
		return s;
	char *t = from_gb18030(s, strlen(s));
	free(s);
	if (t && !utf8_ok(t, strlen(t)))
		for (char *q = t; *q; q++)
			if ((unsigned char)*q >= 0x80)
				*q = '?';
	return t;
}

/* The decoded bytes of a part's content. */
static GByteArray *part_bytes(GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	if (!w)
		return NULL;
	GMimeStream *mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	GByteArray *arr = g_byte_array_new();
	GByteArray *src = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_byte_array_append(arr, src->data, src->len);
	g_object_unref(mem);
	return arr;
}

static char *part_text(GMimePart *part)
{
	const char *cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	GByteArray *b = part_bytes(part);
	if (!b || !b->len) { /* an empty part: GMime gives no data pointer at all */
		if (b)
			g_byte_array_free(b, TRUE);
		return strdup("");
	}
	char *out = NULL;
	if (cs && g_ascii_strcasecmp(cs, "utf-8") && g_ascii_strcasecmp(cs, "us-ascii")) {
		/* GBK mail often says gb2312: read it as the superset */
		const char *from = !g_ascii_strcasecmp(cs, "gb2312") || !g_ascii_strcasecmp(cs, "gbk") ? "GB18030" : cs;
		gsize w = 0;
		out = g_convert((const char *)b->data, (gssize)b->len, "UTF-8", from, NULL, &w, NULL);
		if (out) {
			char *c = strdup(out);
			g_free(out);
			out = c;
		}
	}
	if (!out)
		out = utf8_ok((const char *)b->data, b->len) ? strndup((const char *)b->data, b->len)
							      : from_gb18030((const char *)b->data, b->len);
	g_byte_array_free(b, TRUE);
	return out;
}

/* Mail text as the rest of kefu takes text: LF line ends, no control
 * characters but tab and line feed (CR LF and lone CR become LF). */
static char *clean_text(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		unsigned char c = (unsigned char)*r;
		if (c == '\r') {
			*w++ = '\n';
			if (r[1] == '\n')
				r++;
		} else if (c >= 0x20 || c == '\n' || c == '\t') {
			if (c == 0x7f)
				continue;
			*w++ = (char)c;
		}
	}
	*w = '\0';
	return s;
}

struct walk {
	struct mail_in *m;
};

static void on_part(GMimeObject *parent, GMimeObject *obj, gpointer ud)
{
	struct walk *w = ud;
	KF_UNUSED(parent);
	if (!GMIME_IS_PART(obj))
		return;
	GMimePart *part = GMIME_PART(obj);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *fname = g_mime_part_get_filename(part);
	int attachment = g_mime_part_is_attachment(part) || (fname && *fname);
	if (!attachment && g_mime_content_type_is_type(ct, "text", "plain") && !w->m->text) {
		w->m->text = clean_text(part_text(part));
	} else if (!attachment && g_mime_content_type_is_type(ct, "text", "html") && !w->m->html) {
		w->m->html = clean_text(part_text(part));
	} else if (w->m->natt < MAIL_MAX_ATTACHMENTS) {
		GByteArray *b = part_bytes(part);
		if (!b)
			return;
		if (b->len <= MAIL_MAX_ATTACHMENT) {
			struct mail_att *a = &w->m->att[w->m->natt++];
			char *mt = g_mime_content_type_get_mime_type(ct);
			a->filename = dup_or_empty(fname);
			a->content_type = dup_or_empty(mt);
			g_free(mt);
			a->size = b->len;
			a->data = malloc(b->len ? b->len : 1);
			if (b->len) /* an empty attachment has no data pointer */
				memcpy(a->data, b->data, b->len);
		}
		g_byte_array_free(b, TRUE);
	}
}

/* A message id as kefu stores and threads on it: ASCII without blanks,
 * brackets or controls (GMime hands over what a broken header holds, such
 * as "aContent-Type: "), other bytes percent-encoded so that distinct ids
 * stay distinct.  NULL when nothing is left (the caller frees). */
static char *clean_id(const char *id)
{
	if (!id)
		return NULL;
	buf b;
	buf_init(&b, 4096);
	for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
		if (*p <= ' ' || *p == '<' || *p == '>' || *p == 0x7f)
			continue;
		if (*p >= 0x80)
			buf_printf(&b, "%%%02X", *p);
		else
			buf_putc(&b, (char)*p);
	}
	char *s = b.len ? strdup(b.data) : NULL;
	buf_release(&b);
	return s;
}

/* "<a@b> <c@d>" → "a@b c@d" */
static char *ids_of(const char *header)
{
	if (!header)
		return strdup("");
	GMimeReferences *refs = g_mime_references_parse(NULL, header);
	buf b;
	buf_init(&b, 1 << 16);
	for (int i = 0; refs && i < g_mime_references_length(refs); i++) {
		char *id = clean_id(g_mime_references_get_message_id(refs, i));
		if (id)
			buf_printf(&b, "%s%s", b.len ? " " : "", id);
		free(id);
	}
	if (refs)
		g_mime_references_free(refs);
	char *s = strdup(b.data ? b.data : "");
	buf_release(&b);
	return s;
}

static void first_mailbox(InternetAddressList *l, char **addr, char **name)
{
	*addr = NULL;
	*name = NULL;
	for (int i = 0; l && i < internet_address_list_length(l); i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			*addr = strdup(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
			*name = dup_or_empty(internet_address_get_name(ia));
			return;
		}
	}
}

int mail_parse(const char *raw, size_t len, struct mail_in *m, kf_err *e)
{
	pthread_once(&once, init);
	memset(m, 0, sizeof(*m));
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(raw, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(s);
	if (!msg)
		return kf_fail(e, KF_EINVAL, "message", "无法解析邮件", "The message cannot be parsed");
	const char *mid = g_mime_message_get_message_id(msg);
	m->message_id = clean_id(mid);
	char *irt = ids_of(g_mime_object_get_header(GMIME_OBJECT(msg), "In-Reply-To"));
	char *sp = strchr(irt, ' ');
	if (sp)
		*sp = '\0';
	m->in_reply_to = irt;
	m->references = ids_of(g_mime_object_get_header(GMIME_OBJECT(msg), "References"));
	first_mailbox(g_mime_message_get_from(msg), &m->from_addr, &m->from_name);
	if (m->from_name)
		clean_text(m->from_name = header_utf8(m->from_name));
	m->from_addr = header_utf8(m->from_addr);
	char *dummy;
	first_mailbox(g_mime_message_get_to(msg), &m->to_addr, &dummy);
	free(dummy);
	m->to_addr = header_utf8(m->to_addr);
	m->subject = clean_text(header_utf8(dup_or_empty(g_mime_message_get_subject(msg))));
	for (char *q = m->subject; *q; q++) /* a subject is one line */
		if (*q == '\n' || *q == '\t')
			*q = ' ';
	GDateTime *dt = g_mime_message_get_date(msg);
	m->date_ms = dt ? g_date_time_to_unix(dt) * 1000 : util_now_ms();
	struct walk w = {m};
	g_mime_message_foreach(msg, on_part, &w);
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	if (body && GMIME_IS_PART(body) && !m->text && !m->html && !m->natt)
		on_part(NULL, body, &w);
	g_object_unref(msg);
	if (!m->text)
		m->text = strdup("");
	if (!m->html)
		m->html = strdup("");
	if (!m->from_addr) {
		mail_in_release(m);
		return kf_fail(e, KF_EINVAL, "from", "邮件没有发件人地址", "The message has no sender address");
	}
	if (!m->to_addr)
		m->to_addr = strdup("");
	if (!m->message_id) { /* a stable id from the content, so a re-delivery dedups */
		char h[65];
		char *c = strndup(raw, len);
		util_sha256_hex(c, h);
		free(c);
		m->message_id = g_strdup_printf("kefu-nomid-%.32s@localhost", h);
		char *x = strdup(m->message_id);
		g_free(m->message_id);
		m->message_id = x;
	}
	return 0;
}

void mail_in_release(struct mail_in *m)
{
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->from_addr);
	free(m->from_name);
	free(m->to_addr);
	free(m->subject);
	free(m->text);
	free(m->html);
	for (int i = 0; i < m->natt; i++) {
		free(m->att[i].filename);
		free(m->att[i].content_type);
		free(m->att[i].data);
	}
	memset(m, 0, sizeof(*m));
}

char *mail_strip_quoted(const char *text)
{
	static const char *const marks[] = {"-----原始邮件-----", "-----Original Message-----",
					    "________________________________", NULL};
	buf b;
	buf_init(&b, (size_t)MAIL_MAX_MESSAGE);
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p + 1) : strlen(p);
		int stop = *p == '>';
		for (const char *const *mk = marks; *mk && !stop; mk++)
			stop = !strncmp(p, *mk, strlen(*mk));
		/* "在 2024年3月5日 ... 写道：" / "On Tue, ... wrote:" */
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : sizeof(line) - 1), p);
		if (!stop && ((!strncmp(line, "在", 3) && strstr(line, "写道")) ||
			      (!strncmp(line, "On ", 3) && strstr(line, "wrote:"))))
			stop = 1;
		if (stop)
			break;
		buf_append(&b, p, n);
		p += n;
	}
	while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	return b.data ? buf_detach(&b, NULL) : strdup("");
}

char *mail_compose(const char *from_name, const char *from_addr, const char *to_addr,
		   const char *subject, const char *text, const char *message_id,
		   const char *in_reply_to, const char *references)
{
	pthread_once(&once, init);
	GMimeMessage *m = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, from_name, from_addr);
	g_mime_message_add_mailbox(m, GMIME_ADDRESS_TYPE_TO, NULL, to_addr);
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_message_id(m, message_id);
	GDateTime *now = g_date_time_new_now_local();
	g_mime_message_set_date(m, now);
	g_date_time_unref(now);
	if (in_reply_to && *in_reply_to) {
		char *v = g_strdup_printf("<%s>", in_reply_to);
		g_mime_object_set_header(GMIME_OBJECT(m), "In-Reply-To", v, NULL);
		g_free(v);
	}
	if (references && *references) {
		buf b;
		buf_init(&b, 1 << 16);
		char *copy = strdup(references), *save = NULL;
		for (char *id = strtok_r(copy, " ", &save); id; id = strtok_r(NULL, " ", &save))
			buf_printf(&b, "%s<%s>", b.len ? " " : "", id);
		free(copy);
		g_mime_object_set_header(GMIME_OBJECT(m), "References", b.data ? b.data : "", NULL);
		buf_release(&b);
	}
	GMimeTextPart *t = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(t, text);
	g_mime_part_set_content_encoding(GMIME_PART(t), GMIME_CONTENT_ENCODING_BASE64);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(t));
	g_object_unref(t);
	char *s = g_mime_object_to_string(GMIME_OBJECT(m), NULL);
	g_object_unref(m);
	char *out = strdup(s);
	g_free(s);
	return out;
}
