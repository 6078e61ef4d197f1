/* fuzz_mail.c - the MIME entry of the e-mail channel: app/mail_parse.c
 * (GMime 3; GBK/GB18030 bodies and encoded words converted to UTF-8) and
 * mail_strip_quoted, the reply text shown to agents.  Neither touches the
 * database (mail_receive, which threads and stores, does).
 *
 * Invariants: a parsed message has a sender and a Message-ID without
 * angle brackets or spaces, its texts are NUL-free C strings of valid
 * UTF-8 as the header promises, the subject is one line, attachments are at most
 * MAIL_MAX_ATTACHMENTS of at most MAIL_MAX_ATTACHMENT bytes; the stripped
 * reply is a prefix of the text (trailing blanks removed). */
#include "tests/fuzz/fuzz.h"

#include "app/mail.h"

static void check_text(const char *what, const char *s)
{
	FUZZ_CHECK(s, "%s is NULL", what);
	FUZZ_CHECK(fuzz_utf8_str(s), "%s is not UTF-8", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail_in m;
	kf_err e;
	kf_err_clear(&e);
	if (mail_parse((const char *)data, size, &m, &e) != 0) {
		FUZZ_CHECK(e.code < 0 && e.field, "refused without a field");
		return 0;
	}
	FUZZ_CHECK(m.from_addr && *m.from_addr, "no sender");
	FUZZ_CHECK(m.message_id && *m.message_id && !strpbrk(m.message_id, "<> \r\n"),
		   "Message-ID [%s]", m.message_id ? m.message_id : "(null)");
	check_text("subject", m.subject);
	FUZZ_CHECK(!strpbrk(m.subject, "\r\n"), "subject has a line break");
	check_text("text", m.text);
	check_text("html", m.html);
	check_text("from_addr", m.from_addr);
	if (m.from_name)
		check_text("from_name", m.from_name);
	check_text("to_addr", m.to_addr);
	if (m.in_reply_to)
		FUZZ_CHECK(!strchr(m.in_reply_to, ' '), "In-Reply-To has two ids");
	FUZZ_CHECK(m.natt >= 0 && m.natt <= MAIL_MAX_ATTACHMENTS, "%d attachments", m.natt);
	for (int i = 0; i < m.natt; i++) {
		FUZZ_CHECK(m.att[i].size <= MAIL_MAX_ATTACHMENT, "attachment of %zu bytes", m.att[i].size);
		check_text("attachment name", m.att[i].filename);
		FUZZ_CHECK(m.att[i].content_type, "attachment without a type");
	}
	char *r = mail_strip_quoted(m.text);
	FUZZ_CHECK(r && !strncmp(r, m.text, strlen(r)), "stripped reply is not a prefix");
	free(r);
	mail_in_release(&m);
	return 0;
}
