/* test_vcard.c - core/vcard.c: escaping, folding at 75 octets on UTF-8
 * boundaries, CRLF, skipped empty values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/vcard.h"

static void escapes_text(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 4096);
	vcard_begin(&b);
	vcard_text(&b, "FN", NULL, "王, 李; \\ 张\n第二行");
	vcard_raw(&b, "TEL", "VALUE=uri;TYPE=cell", "tel:+8613800000000");
	vcard_text(&b, "NOTE", NULL, "");
	vcard_end(&b);
	assert_string_equal(b.data, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:王\\, 李\\; \\\\ 张\\n第二行\r\n"
				    "TEL;VALUE=uri;TYPE=cell:tel:+8613800000000\r\nEND:VCARD\r\n");
	buf_release(&b);
}

static void folds_long_lines_between_characters(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 8192);
	char note[400] = "";
	for (int i = 0; i < 60; i++)
		strncat(note, "客服", sizeof(note) - strlen(note) - 1);
	vcard_text(&b, "NOTE", NULL, note);
	/* every physical line at most 75 octets; unfolding gives the value back */
	buf un;
	buf_init(&un, 8192);
	const char *p = b.data;
	int lines = 0;
	while (*p) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true(e - p <= 75);
		const char *s = lines ? p + 1 : p;
		if (lines)
			assert_int_equal(*p, ' ');
		buf_append(&un, s, (size_t)(e - s));
		/* a fold never splits a UTF-8 sequence: the next line starts on a lead byte */
		if (e[2] == ' ')
			assert_true(((unsigned char)e[3] & 0xC0) != 0x80);
		p = e + 2;
		lines++;
	}
	assert_true(lines > 3);
	assert_string_equal(un.data + strlen("NOTE:"), note);
	buf_release(&un);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_text),
		cmocka_unit_test(folds_long_lines_between_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
