/* test_mail_parse.c - app/mail_parse.c without a database: bodies in odd
 * encodings come out as valid UTF-8, empty bodies as "".  The cases here
 * were found by tests/fuzz/fuzz_mail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/mail.h"
#include "core/validate.h"

#define HEAD "From: =?UTF-8?B?5byg5LiJ?= <zhangsan@example.com>\r\nTo: kefu@example.com\r\n" \
	     "Subject: test\r\nMessage-ID: <m1@example.com>\r\n"

static void parse(const char *raw, size_t len, struct mail_in *m)
{
	kf_err e;
	kf_err_clear(&e);
	assert_int_equal(mail_parse(raw, len, m, &e), 0);
	assert_string_equal(m->from_addr, "zhangsan@example.com");
	assert_string_equal(m->from_name, "张三");
	assert_string_equal(m->message_id, "m1@example.com");
}

/* An empty body: GMime hands over no data pointer (UBSan: NULL to strndup). */
static void empty_body(void **state)
{
	(void)state;
	static const char raw[] = HEAD "\r\n";
	struct mail_in m;
	parse(raw, sizeof(raw) - 1, &m);
	assert_string_equal(m.text, "");
	mail_in_release(&m);
}

/* A body ending in the lead byte of a three-byte sequence: the old check
 * stepped over the terminating NUL and read past the copy (ASan). */
static void cut_sequence_at_the_end(void **state)
{
	(void)state;
	static const char raw[] = HEAD "\r\n\x0e\xe7";
	struct mail_in m;
	parse(raw, sizeof(raw) - 1, &m);
	assert_true(valid_utf8_len(m.text, 1000, NULL));
	mail_in_release(&m);
}

/* Overlong forms and surrogates are not UTF-8: a body without a charset
 * that holds them is read as GB18030, not stored as broken text. */
static void overlong_and_surrogate_are_not_utf8(void **state)
{
	(void)state;
	static const char *const bodies[] = {"abc\xC0\xAF", "x\xED\xA0\x80y", "\xF4\x90\x80\x80"};
	for (size_t i = 0; i < 3; i++) {
		char raw[512];
		int n = snprintf(raw, sizeof(raw), HEAD "\r\n%s", bodies[i]);
		struct mail_in m;
		parse(raw, (size_t)n, &m);
		assert_true(valid_utf8_len(m.text, 1000, NULL));
		mail_in_release(&m);
	}
}

/* What the check is for: GBK text that does not say so, and UTF-8 that is
 * left alone. */
static void undeclared_gbk_and_utf8(void **state)
{
	(void)state;
	static const char gbk[] = HEAD "\r\n\xc4\xe3\xba\xc3"; /* 你好 in GBK */
	struct mail_in m;
	parse(gbk, sizeof(gbk) - 1, &m);
	assert_string_equal(m.text, "你好");
	mail_in_release(&m);
	static const char utf8[] = HEAD "\r\n你好";
	parse(utf8, sizeof(utf8) - 1, &m);
	assert_string_equal(m.text, "你好");
	mail_in_release(&m);
}

/* Found by tests/fuzz/fuzz_mail: an empty attachment has no data pointer,
 * which was handed to memcpy (UBSan in build-asan). */
static void empty_attachment(void **state)
{
	(void)state;
	static const char raw[] = HEAD "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
				  "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n见附件\r\n"
				  "--b\r\nContent-Type: application/pdf\r\n"
				  "Content-Disposition: attachment; filename=\"empty.pdf\"\r\n\r\n"
				  "--b--\r\n";
	struct mail_in m;
	parse(raw, sizeof(raw) - 1, &m);
	assert_string_equal(m.text, "见附件");
	assert_int_equal(m.natt, 1);
	assert_string_equal(m.att[0].filename, "empty.pdf");
	assert_int_equal(m.att[0].size, 0);
	mail_in_release(&m);
}

static void no_blank_bracket_or_byte_above_ascii(const char *id)
{
	assert_non_null(id);
	assert_true(*id);
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		assert_true(*p > ' ' && *p < 0x7f && *p != '<' && *p != '>');
}

/* Found by tests/fuzz/fuzz_mail: a broken Message-ID header gave an id
 * with spaces ("aContent-Type: "), which then split in References and
 * In-Reply-To.  Ids are ASCII without blanks; other bytes are
 * percent-encoded. */
static void message_ids_are_one_token(void **state)
{
	(void)state;
	static const char raw[] = "From: a@example.com\r\nMessage-ID: <aContent-Type: >\r\n"
				  "In-Reply-To: <x y@example.com>\r\n"
				  "References: <r1@example.com> <\xe4\xb8\xad@example.com>\r\n\r\nbody";
	kf_err e;
	kf_err_clear(&e);
	struct mail_in m;
	assert_int_equal(mail_parse(raw, sizeof(raw) - 1, &m, &e), 0);
	no_blank_bracket_or_byte_above_ascii(m.message_id);
	assert_string_equal(m.message_id, "aContent-Type:");
	if (*m.in_reply_to)
		no_blank_bracket_or_byte_above_ascii(m.in_reply_to);
	assert_string_equal(m.references, "r1@example.com %E4%B8%AD@example.com");
	mail_in_release(&m);
}

/* Raw 8-bit bytes that are neither UTF-8 nor GB18030 run into the subject
 * (a bare CR does not end a header line), after an encoded word labelled
 * GB2312 that holds GBK bytes: GMime passed the bytes through and the
 * subject was not UTF-8 (fuzz_mail; the input is
 * corpus/mail/crash-subject-gbk-labelled-gb2312).  Headers that are not
 * UTF-8 are now read as GB18030, and what still is not becomes '?'. */
static void subject_raw_bytes(void **state)
{
	(void)state;
	static const char raw[] =
		"\x46\x72\x6f\x6d\x3a\x20\x22\x4c\x69\x20\x53\x69\x22\x20\x3c\x6c"
		"\x69\x73\x69\x40\x65\x78\x61\x6d\x70\x6c\x65\x2e\x63\x6e\x3e\x54"
		"\x6f\x3a\x20\x6b\x65\x66\x75\x40\x65\x78\x61\x6d\x70\x6c\x65\x2e"
		"\x63\x6f\x6d\x0d\x0a\x53\x75\x62\x6a\x65\x63\x74\x3a\x20\x3d\x3f"
		"\x47\x42\x32\x33\x31\x32\x3f\x42\x3f\x74\x35\x4c\x47\x73\x63\x37"
		"\x4b\x7a\x4f\x49\x3d\x3f\x3d\x32\x33\x31\x32\x3f\x42\x3f\x74\x36"
		"\x4c\x47\x73\x63\x37\x4b\x7a\x4f\x49\x3d\x3f\x3d\x0d\x7e\x49\x6e"
		"\x2d\x52\x65\x70\x6c\x79\x2d\x54\x6f\x3a\x20\x3c\x6d\x31\x40\x6b"
		"\x65\x66\x75\x3e\x20\x3c\x6d\x32\x40\x6b\x65\x66\x75\x3e\x0d\xf6"
		"\xad\x9a\x99\xc3\x92\xce\xbf\x6b\x65\x66\x75\x3e\x0d\x0a\x4d\x49"
		"\x4d\x45\x2d\x56\x65\x72\x73\x69\x6f\x6e\x3a\x20\x31\x2e\x30\x0d"
		"\x0a\x43\x6f\x6e\x74\x65\x6e\x74\x2d\x54\x79\x70\x65\x3a\x20\x6d"
		"\x75\x6c\x74\x69\x70\x61\x72\x74\x2f\x6d\xa0\x33\x04\x00\x30\x60"
		"\x00\x00\x75\x6e\x64\x61\x72\x79\x3d\x22\x62\x31\x22\x0d\x0a\x0d"
		"\x0a\x46\x46\x72\x6f\x6d\x3a\x20\x22\x4c\x69\x20\x53\x69\x22\x20"
		"\x3c\x6c\x69\x73\x69\x40\x65\x76\x2d\x2d\x62\x31\x0d\x0a\x43";
	struct mail_in m;
	kf_err e;
	kf_err_clear(&e);
	if (mail_parse(raw, sizeof(raw) - 1, &m, &e) != 0)
		return; /* refusing it is fine too */
	size_t n;
	assert_true(valid_utf8_len(m.subject, 100000, &n));
	assert_true(valid_utf8_len(m.from_addr, 100000, &n));
	assert_true(valid_utf8_len(m.to_addr, 100000, &n));
	if (m.from_name)
		assert_true(valid_utf8_len(m.from_name, 100000, &n));
	mail_in_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_body),
		cmocka_unit_test(cut_sequence_at_the_end),
		cmocka_unit_test(overlong_and_surrogate_are_not_utf8),
		cmocka_unit_test(undeclared_gbk_and_utf8),
		cmocka_unit_test(message_ids_are_one_token),
		cmocka_unit_test(empty_attachment),
		cmocka_unit_test(subject_raw_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
