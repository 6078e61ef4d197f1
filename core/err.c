#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/common.h"

static const struct kf_code_info infos[] = {
	[0] = {200, "ok", "成功", "OK"},
	[-KF_EINVAL] = {422, "invalid", "输入有误", "Invalid input"},
	[-KF_EJSON] = {400, "malformed_json", "请求体不是有效的 JSON", "Malformed JSON body"},
	[-KF_ETOOBIG] = {413, "body_too_large", "请求体过大", "Request body too large"},
	[-KF_ENOTFOUND] = {404, "not_found", "记录不存在", "Not found"},
	[-KF_ENOROUTE] = {404, "no_route", "接口不存在", "No such endpoint"},
	[-KF_EMETHOD] = {405, "method_not_allowed", "不支持该请求方法", "Method not allowed"},
	[-KF_EAUTH] = {401, "unauthenticated", "请先登录", "Sign-in required"},
	[-KF_EFORBIDDEN] = {403, "forbidden", "没有权限", "Permission denied"},
	[-KF_ECSRF] = {403, "csrf", "缺少或错误的 CSRF 令牌", "Missing or wrong CSRF token"},
	[-KF_ECONFLICT] = {409, "conflict", "与现有数据冲突", "Conflict with existing data"},
	[-KF_ELOGIN] = {401, "login_failed", "用户名或密码错误", "Wrong user name or password"},
	[-KF_ETHROTTLED] = {429, "too_many_attempts", "尝试次数过多，请稍后再试", "Too many attempts, try again later"},
	[-KF_EMEDIA] = {415, "unsupported_media_type", "请求体必须是 JSON", "Request body must be JSON"},
	[-KF_EINTERNAL] = {500, "internal", "服务器内部错误", "Internal server error"},
	[-KF_EDB] = {503, "database", "数据库暂时不可用", "Database unavailable"},
	[-KF_EDISABLED] = {403, "account_disabled", "账号已停用", "Account disabled"},
	[-KF_EGONE] = {410, "gone", "已失效", "No longer available"},
};

const struct kf_code_info *kf_code_info(int code)
{
	if (code > 0 || code < KF_ECODE_MIN)
		code = KF_EINTERNAL;
	return &infos[-code];
}

void kf_err_clear(kf_err *e)
{
	e->code = 0;
	e->field = NULL;
	e->zh[0] = e->en[0] = '\0';
	e->ref_id = 0;
}

void kf_msg_fit(char *s, size_t size)
{
	size_t n = strlen(s);
	if (n + 1 < size || n == 0)
		return; /* not cut */
	/* drop the last character if the cut left it incomplete */
	size_t k = n;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0)
		return;
	unsigned char lead = (unsigned char)s[k - 1];
	size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (k - 1) < want)
		s[k - 1] = '\0';
}

int kf_fail(kf_err *e, int code, const char *field, const char *zh, const char *en, ...)
{
	va_list ap;
	e->code = code;
	e->field = field;
	e->ref_id = 0;
	va_start(ap, en);
	vsnprintf(e->zh, sizeof(e->zh), zh ? zh : "", ap);
	va_end(ap);
	va_start(ap, en);
	vsnprintf(e->en, sizeof(e->en), en ? en : "", ap);
	va_end(ap);
	kf_msg_fit(e->zh, sizeof(e->zh));
	kf_msg_fit(e->en, sizeof(e->en));
	return code;
}
