/* test_webhook_fmt.c - core/webhook_fmt.c: bodies per receiver kind and
 * the signatures (checked against values computed independently). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/webhook_fmt.h"

static void bodies(void **state)
{
	(void)state;
	struct webhook_summary sm = {.number = "C250530-0042", .subject = "空调不制冷",
				     .customer = "王女士", .key_account = 1};
	buf b;
	buf_init(&b, 65536);
	assert_int_equal(webhook_body(&b, "json", 7, "case.created", 1000, "{\"case\":{\"id\":3}}", &sm), 0);
	assert_string_equal(b.data, "{\"id\":7,\"event\":\"case.created\",\"created_at\":1000,"
				    "\"data\":{\"case\":{\"id\":3}}}");
	buf_reset(&b);
	assert_int_equal(webhook_body(&b, "wecom", 7, "case.created", 1000, "{}", &sm), 0);
	assert_non_null(strstr(b.data, "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"**新工单** C250530-0042\\n> 主题：空调不制冷\\n> 客户：王女士（关键客户）\"}}"));
	buf_reset(&b);
	assert_int_equal(webhook_body(&b, "dingtalk", 7, "case.overdue", 1000, "{}", &sm), 0);
	assert_non_null(strstr(b.data, "\"title\":\"工单超时\",\"text\":\"### 工单超时 C250530-0042"));
	buf_reset(&b);
	assert_int_equal(webhook_body(&b, "slack", 1, "ping", 0, "{}", &sm), -1);
	buf_release(&b);
	assert_non_null(webhook_event_find("complaint.key_account"));
	assert_null(webhook_event_find("nope"));
}

static void signatures(void **state)
{
	(void)state;
	char sig[72];
	/* python3: hmac.new(b"s3cret", b"1700000000000.{}", sha256).hexdigest() */
	webhook_sign("s3cret", 1700000000000LL, "{}", sig);
	assert_string_equal(sig, "sha256=e8eb128e84214464aec85474d15f930c60fb75e2076edab5c557f8f406ab4899");
	char ding[128];
	/* base64(hmac(b"SECabc", b"1700000000000\nSECabc")), URL-encoded */
	webhook_dingtalk_sign("SECabc", 1700000000000LL, ding, sizeof(ding));
	assert_string_equal(ding, "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bodies),
		cmocka_unit_test(signatures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
