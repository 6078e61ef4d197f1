#include "core/case_rules.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"

/* The value echoed in a message (cut with "…") and the room for the list
 * of allowed values: with the longest set name they fit kf_err's 256 bytes. */
enum { LIST_SIZE = 200, LIST_ROOM = 170, ECHO_SIZE = 21 };

static const struct class_value types[] = {
	{"inquiry", "咨询", "Inquiry"},
	{"complaint", "投诉", "Complaint"},
	{"after_sales", "售后", "After-sales"},
	{"suggestion", "建议", "Suggestion"},
	{"praise", "表扬", "Praise"},
};

static const struct class_value after_sales[] = {
	{"return_exchange", "退换货", "Return or exchange"},
	{"repair", "维修", "Repair"},
	{"installation", "安装", "Installation"},
	{"tech_support", "技术支持", "Technical support"},
};

static const struct class_value channels[] = {
	{"phone", "电话热线", "Phone hotline"}, {"web", "网页表单", "Web form"},
	{"email", "电子邮件", "E-mail"},        {"wechat", "微信", "WeChat"},
	{"visit", "上门/到访", "Visit"},        {"api", "接口", "API"},
};

/* In queue order: the index is the weight (urgent = 3). */
static const struct class_value priorities[] = {
	{"low", "低", "Low"},
	{"normal", "普通", "Normal"},
	{"high", "高", "High"},
	{"urgent", "紧急", "Urgent"},
};

/* GB/T 19012: severity, safety and impact assessed at intake. */
static const struct class_value severities[] = {
	{"minor", "一般", "Minor"},
	{"major", "严重", "Major"},
	{"critical", "重大（涉及安全）", "Critical (safety)"},
};

static const struct class_value emotions[] = {
	{"calm", "平静", "Calm"},     {"angry", "愤怒", "Angry"}, {"anxious", "焦虑", "Anxious"},
	{"sad", "悲伤", "Sad"},       {"loud", "喧哗", "Loud"},
};

static const struct class_value stages[] = {
	{"pre_sale", "售前", "Pre-sale"},
	{"in_sale", "售中", "In-sale"},
	{"after_sale", "售后", "After-sale"},
};

static const struct class_value outcomes[] = {
	{"satisfied", "满意", "Satisfied"},
	{"neutral", "一般", "So-so"},
	{"unsatisfied", "不满意", "Not satisfied"},
	{"unreachable", "联系不上", "Could not be reached"},
};

static const struct class_value plan_kinds[] = {
	{"repair", "维修", "Repair"},          {"exchange", "换货", "Exchange"},
	{"refund", "退款", "Refund"},          {"compensation", "赔偿", "Compensation"},
	{"apology", "致歉", "Apology"},        {"explanation", "解释说明", "Explanation"},
	{"other", "其他", "Other"},
};

/* DOMAIN §2: the six steps of the conversation, in order. */
static const struct class_value checklist[] = {
	{"apologise", "道歉受理", "Apologise and accept"},
	{"explain", "解释原因", "Explain the cause"},
	{"empathise", "表示同情理解", "Show empathy"},
	{"solution", "告知方案并执行", "Give the solution and act on it"},
	{"apologise_again", "再次致歉", "Apologise again and commit to improve"},
	{"thank", "感谢惠顾", "Thank the customer"},
};

#define SET(name, zh, en, v) {name, zh, en, v, KF_ARRAY_LEN(v)}

const struct class_set case_sets[] = {
	SET("case_type", "工单类型", "case type", types),
	SET("after_sales", "售后类别", "after-sales kind", after_sales),
	SET("channel", "渠道", "channel", channels),
	SET("priority", "优先级", "priority", priorities),
	SET("severity", "严重程度", "severity", severities),
	SET("emotion", "客户情绪", "customer emotion", emotions),
	SET("stage", "服务阶段", "service stage", stages),
	SET("outcome", "回访结果", "follow-up outcome", outcomes),
	SET("plan_kind", "方案类型", "plan kind", plan_kinds),
	SET("checklist", "沟通步骤", "conversation step", checklist),
};
const size_t case_nsets = KF_ARRAY_LEN(case_sets);

const struct class_set *case_set(const char *name)
{
	for (size_t i = 0; name && i < case_nsets; i++)
		if (!strcmp(case_sets[i].name, name))
			return &case_sets[i];
	return NULL;
}

int case_class_index(const char *set, const char *code)
{
	const struct class_set *s = case_set(set);
	for (size_t i = 0; s && code && i < s->n; i++)
		if (!strcmp(s->values[i].code, code))
			return (int)i;
	return -1;
}

int case_class_check(const char *set, const char *field, const char *code, kf_err *e)
{
	kf_err scratch;
	if (!e)
		e = &scratch;
	const struct class_set *s = case_set(set);
	if (!s)
		return kf_fail(e, KF_EINTERNAL, field, "未知的分类：%s", "unknown classification: %s",
			       set ? set : "(null)");
	if (case_class_index(set, code) >= 0)
		return 0;
	char zh[LIST_SIZE], en[LIST_SIZE], echo[ECHO_SIZE];
	size_t zl = 0, el = 0;
	zh[0] = en[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const struct class_value *v = &s->values[i];
		/* whole entries only, up to what the message below has room for */
		int n = snprintf(NULL, 0, "%s%s（%s）", i ? "、" : "", v->code, v->zh);
		if (n > 0 && zl + (size_t)n <= LIST_ROOM)
			zl += (size_t)snprintf(zh + zl, LIST_SIZE - zl, "%s%s（%s）", i ? "、" : "",
					       v->code, v->zh);
		n = snprintf(NULL, 0, "%s%s", i ? ", " : "", v->code);
		if (n > 0 && el + (size_t)n <= LIST_ROOM)
			el += (size_t)snprintf(en + el, LIST_SIZE - el, "%s%s", i ? ", " : "", v->code);
	}
	valid_excerpt(code, echo, sizeof(echo));
	kf_fail(e, KF_EINVAL, field, NULL, NULL);
	/* Every piece is cut at a character boundary before it is written:
	 * a precision such as %.20s counts bytes and would cut a Chinese
	 * character in two, and a message that is not UTF-8 cannot be sent as
	 * JSON at all.  Set names are short; the lists stop at LIST_ROOM. */
	if (!code || !*code) {
		snprintf(e->zh, sizeof(e->zh), "请选择%s，可选：%s", s->zh, zh);
		snprintf(e->en, sizeof(e->en), "%s is required; allowed values: %s", s->en, en);
	} else {
		snprintf(e->zh, sizeof(e->zh), "%s的取值“%s”无效，可选：%s", s->zh, echo, zh);
		snprintf(e->en, sizeof(e->en), "invalid %s \"%s\"; allowed values: %s", s->en, echo, en);
	}
	return KF_EINVAL;
}

int case_number_format(int year, int month, int day, int64_t seq, char *out, size_t outlen)
{
	if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31 ||
	    seq < 1 || seq > 99999999) {
		if (outlen)
			out[0] = '\0';
		return KF_EINVAL;
	}
	int n = snprintf(out, outlen, "C%02d%02d%02d-%04lld", year % 100, month, day, (long long)seq);
	return n > 0 && (size_t)n < outlen ? 0 : KF_EINVAL;
}

int case_number_parse(const char *s, char *out, size_t outlen)
{
	char digits[16];
	size_t nd = 0;
	if (!s || outlen < CASE_NUMBER_SIZE)
		return 0;
	while (*s == ' ')
		s++;
	if (*s != 'C' && *s != 'c')
		return 0;
	s++;
	for (; *s; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (*s < '0' || *s > '9' || nd >= sizeof(digits) - 1)
			return 0;
		digits[nd++] = *s;
	}
	digits[nd] = '\0';
	/* six date digits and four to eight sequence digits */
	if (nd < 10 || nd > 14)
		return 0;
	snprintf(out, outlen, "C%.6s-%s", digits, digits + 6);
	return 1;
}

int64_t case_queue_rank(int key_account, int priority_index, int angry, int64_t due_ms)
{
	/* group 0..7 above 34 bits of due seconds (enough until 2514). */
	const int64_t no_due = ((int64_t)1 << 34) - 1;
	if (priority_index < 0)
		priority_index = 1;
	if (angry)
		priority_index++; /* an angry customer rises one priority band */
	if (priority_index > 3)
		priority_index = 3;
	int64_t group = (key_account ? 0 : 4) + (3 - priority_index);
	int64_t secs = due_ms > 0 ? due_ms / 1000 : no_due;
	if (secs > no_due)
		secs = no_due;
	return (group << 34) | secs;
}

int case_required_capability(const char *type, const char *priority, int key_account)
{
	int level = type && !strcmp(type, "complaint") ? 3 : 1;
	int p = case_class_index("priority", priority);
	if (p == 2 && level < 3)
		level = 3;
	if (p == 3 && level < 4)
		level = 4;
	if (key_account)
		level++;
	return level > 5 ? 5 : level;
}
