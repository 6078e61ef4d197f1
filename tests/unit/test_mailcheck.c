#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/mailcheck.h"

static struct smtp_addr a;

static void urls(void **state)
{
	(void)state;
	assert_int_equal(smtp_url_parse("smtp://mail.example.cn", &a), 0);
	assert_string_equal(a.host, "mail.example.cn");
	assert_string_equal(a.port, "25");
	assert_int_equal(a.tls, 0);

	assert_int_equal(smtp_url_parse("smtps://smtp.qq.com", &a), 0);
	assert_string_equal(a.host, "smtp.qq.com");
	assert_string_equal(a.port, "465");
	assert_int_equal(a.tls, 1);

	assert_int_equal(smtp_url_parse("smtp://127.0.0.1:2525/kefu.test", &a), 0);
	assert_string_equal(a.host, "127.0.0.1");
	assert_string_equal(a.port, "2525");

	assert_int_equal(smtp_url_parse("smtp://service%40kefu.test:p@ss:w@relay:587", &a), 0);
	assert_string_equal(a.host, "relay");
	assert_string_equal(a.port, "587");

	assert_int_equal(smtp_url_parse("smtp://[::1]:26", &a), 0);
	assert_string_equal(a.host, "::1");
	assert_string_equal(a.port, "26");
	assert_int_equal(smtp_url_parse("smtps://[2001:db8::5]", &a), 0);
	assert_string_equal(a.host, "2001:db8::5");
	assert_string_equal(a.port, "465");
}

static void bad_urls(void **state)
{
	(void)state;
	assert_int_equal(smtp_url_parse("imap://mail.example.cn", &a), -1);
	assert_int_equal(smtp_url_parse("mail.example.cn:25", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://:25", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://user@/x", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://host:", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://host:0", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://host:65536", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://host:25x", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://[::1", &a), -1);
	assert_int_equal(smtp_url_parse("smtp://[::1]x", &a), -1);
	char longhost[400] = "smtp://";
	memset(longhost + 7, 'h', 300);
	assert_int_equal(smtp_url_parse(longhost, &a), -1);
}

static int greet(const char *s)
{
	return smtp_greeting(s, strlen(s));
}

static void greetings(void **state)
{
	(void)state;
	assert_int_equal(greet("220 mx.example.cn ESMTP Postfix\r\n"), 1);
	assert_int_equal(greet("220\r\n"), 1);
	assert_int_equal(greet("220 bare LF\n"), 1);
	assert_int_equal(greet("220-mx.example.cn\r\n220-welcome\r\n220 ready\r\n"), 1);
	/* Not all there yet. */
	assert_int_equal(greet(""), 0);
	assert_int_equal(greet("22"), 0);
	assert_int_equal(greet("220"), 0);
	assert_int_equal(greet("220 mx.example.cn ESMTP"), 0);
	assert_int_equal(greet("220-mx.example.cn\r\n"), 0);
	assert_int_equal(greet("220-mx.example.cn\r\n22"), 0);
	/* Refusals and other protocols. */
	assert_int_equal(greet("554 no SMTP service here\r\n"), -1);
	assert_int_equal(greet("421 too busy\r\n"), -1);
	assert_int_equal(greet("5"), -1);
	assert_int_equal(greet("220-hello\r\n554 go away\r\n"), -1);
	assert_int_equal(greet("HTTP/1.1 400 Bad Request\r\n"), -1);
	assert_int_equal(greet("* OK IMAP4rev1 ready\r\n"), -1);
	assert_int_equal(greet("2200 wrong\r\n"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(urls),
		cmocka_unit_test(bad_urls),
		cmocka_unit_test(greetings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
