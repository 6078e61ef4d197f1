#include "core/password.h"

#include <string.h>

#include "lib/common.h"

enum { USERNAME_MIN = 3 };

/* Passwords that pass the other rules yet are among the first any attacker
 * tries (leaked-password top lists, Chinese and international).  Compared
 * without regard to case.  Lower case here. */
static const char *const common[] = {
	"password1", "password123", "passw0rd", "p@ssw0rd", "p@ssword1",
	"qwerty123", "qwe123456", "qwer1234", "1q2w3e4r", "1qaz2wsx",
	"abc12345", "abc123456", "abcd1234", "a1234567", "a12345678",
	"a123456789", "aa123456", "123456abc", "123456aa", "qq123456",
	"asd123456", "zxc123456", "admin123", "admin888", "admin1234",
	"woaini1314", "woaini520", "iloveyou1", "test1234", "welcome1",
	"12345678", "123456789", "88888888", "11111111",
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int equal_nocase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower(*a) != lower(*b))
			return 0;
	return *a == *b;
}

static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && lower(hay[i]) == lower(needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static int is_common(const char *pw)
{
	for (size_t i = 0; i < KF_ARRAY_LEN(common); i++)
		if (equal_nocase(pw, common[i]))
			return 1;
	return 0;
}

int password_check(const char *pw, const char *username, kf_err *e)
{
	kf_err scratch;
	int letter = 0, digit = 0;

	if (!e)
		e = &scratch;
	if (!pw)
		pw = "";
	size_t len = strlen(pw);
	if (len < PASSWORD_MIN)
		return kf_fail(e, KF_EINVAL, "password",
			       "密码太短：至少需要 %d 个字符",
			       "the password is too short: it needs at least %d characters",
			       PASSWORD_MIN);
	if (len > PASSWORD_MAX)
		return kf_fail(e, KF_EINVAL, "password",
			       "密码太长：最多 %d 个字节（一个汉字占 3 个字节）",
			       "the password is too long: at most %d bytes (a Chinese character takes 3)",
			       PASSWORD_MAX);
	if (is_common(pw))
		return kf_fail(e, KF_EINVAL, "password",
			       "这个密码太常见，很容易被猜到，请换一个",
			       "this password is too common and easy to guess; please choose another");
	if (username && strlen(username) >= USERNAME_MIN && contains_nocase(pw, username))
		return kf_fail(e, KF_EINVAL, "password",
			       "密码不能包含用户名",
			       "the password must not contain the user name");
	for (const char *p = pw; *p; p++) {
		letter |= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
		digit |= *p >= '0' && *p <= '9';
	}
	if (!letter || !digit)
		return kf_fail(e, KF_EINVAL, "password",
			       "密码须同时包含英文字母和数字",
			       "the password must contain at least one letter (A-Z) and one digit");
	return 0;
}
