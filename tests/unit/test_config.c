#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/config.h"

static struct config c;

static int parse(const char *text)
{
	return config_parse(text, strlen(text), &c);
}

static void good_file(void **state)
{
	(void)state;
	assert_int_equal(parse("# comment\n"
			       "  ; another\n"
			       "\n"
			       "db = sqlite:/var/lib/kefu/kefu.db\r\n"
			       "listen=127.0.0.1:8080\n"
			       "threads = 4\n"
			       "web_dir = \" /srv/web \"\n"
			       "access_log = no\n"
			       "jobs_interval = 30"),
			 0);
	assert_int_equal(c.n, 6);
	assert_string_equal(config_get(&c, "db"), "sqlite:/var/lib/kefu/kefu.db");
	assert_string_equal(config_get(&c, "listen"), "127.0.0.1:8080");
	assert_string_equal(config_get(&c, "threads"), "4");
	assert_string_equal(config_get(&c, "web_dir"), " /srv/web ");
	assert_false(config_bool(config_get(&c, "access_log")));
	assert_int_equal(c.e[5].line, 9);
	assert_null(config_get(&c, "nope"));
}

static void empty_file(void **state)
{
	(void)state;
	assert_int_equal(config_parse("", 0, &c), 0);
	assert_int_equal(c.n, 0);
}

static void errors_carry_line_numbers(void **state)
{
	(void)state;
	int n = parse("listen = 127.0.0.1:8080\n"
		      "lisen = 1.2.3.4:80\n"       /* 2: unknown key */
		      "threads = many\n"           /* 3: not a number */
		      "threads = 0\n"              /* 4: out of range */
		      "just words\n"               /* 5: no '=' */
		      "= x\n"                      /* 6: no key */
		      "listen = 0.0.0.0:9\n"       /* 7: repeated */
		      "db = mysql://x\n"           /* 8: bad URL */
		      "access_log = maybe\n"       /* 9: not a bool */
		      "web_dir = \"unbalanced\n"   /* 10 */
		      "db =\n");                   /* 11: empty */
	assert_int_equal(n, 10);
	int want[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	for (int i = 0; i < n; i++)
		assert_int_equal(c.err[i].line, want[i]);
	assert_non_null(strstr(c.err[0].msg, "unknown key 'lisen'"));
	assert_non_null(strstr(c.err[5].msg, "already set on line 1"));
	assert_int_equal(c.n, 1); /* only the good line is kept */
}

static void listen_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("listen = [::1]:8080\n"), 0);
	assert_int_equal(parse("listen = localhost:65535\n"), 0);
	assert_int_equal(parse("listen = :8080\n"), 1);
	assert_int_equal(parse("listen = host:65536\n"), 1);
	assert_int_equal(parse("listen = host\n"), 1);
	assert_int_equal(parse("listen = host:80x\n"), 1);
}

static void db_forms(void **state)
{
	(void)state;
	assert_int_equal(parse("db = postgresql://kefu@/kefu?host=/run/postgresql\n"), 0);
	assert_int_equal(parse("db = postgres://u:p@h:5432/kefu\n"), 0);
	assert_int_equal(parse("db = sqlite:\n"), 1);
	assert_int_equal(parse("db = kefu.db\n"), 1);
}

static void long_value_and_nul(void **state)
{
	(void)state;
	static char big[CONFIG_VALUE_SIZE + 32];
	memcpy(big, "web_dir = ", 10);
	memset(big + 10, 'a', CONFIG_VALUE_SIZE);
	assert_int_equal(parse(big), 1);
	assert_int_equal(config_parse("threads = 2\0x\n", 14, &c), 1);
	assert_int_equal(c.err[0].line, 1);
}

static void many_errors_are_counted(void **state)
{
	(void)state;
	static char text[4096];
	size_t off = 0;
	for (int i = 0; i < CONFIG_MAX_ERRORS + 5; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "bad line\n");
	assert_int_equal(parse(text), CONFIG_MAX_ERRORS + 5);
	assert_int_equal(c.err[CONFIG_MAX_ERRORS - 1].line, CONFIG_MAX_ERRORS);
}

static void every_key_has_a_way_in(void **state)
{
	(void)state;
	for (const struct config_key *k = config_keys; k->name; k++) {
		assert_ptr_equal(config_key_find(k->name), k);
		assert_true(k->flag || k->env || k->kind == CONFIG_BOOL);
	}
	assert_null(config_key_find("timezone"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_file),
		cmocka_unit_test(empty_file),
		cmocka_unit_test(errors_carry_line_numbers),
		cmocka_unit_test(listen_forms),
		cmocka_unit_test(db_forms),
		cmocka_unit_test(long_value_and_nul),
		cmocka_unit_test(many_errors_are_counted),
		cmocka_unit_test(every_key_has_a_way_in),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
