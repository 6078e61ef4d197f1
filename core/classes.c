#include "core/classes.h"

#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"

enum { ECHO_SIZE = 40, LIST_SIZE = 160 };

static const struct class_value kinds[] = {
	{"person", "个人", "Person"},
	{"organization", "组织", "Organization"},
};

static const struct class_value sources[] = {
	{"external", "外部客户", "External customer"},
	{"internal", "内部客户", "Internal customer"},
};

static const struct class_value lifecycles[] = {
	{"potential", "潜在", "Potential"},
	{"temporary", "临时", "Temporary"},
	{"general", "一般", "General"},
	{"loyal", "忠诚", "Loyal"},
};

static const struct class_value chain_roles[] = {
	{"intermediate", "中间客户", "Intermediary"},
	{"terminal", "终端客户", "End customer"},
	{"public", "公利客户", "Public-interest customer"},
};

static const struct class_value value_classes[] = {
	{"key", "关键客户", "Key account"},
	{"ordinary", "普通客户", "Ordinary customer"},
};

static const struct class_value tiers[] = {
	{"top", "顶层", "Top"},
	{"high", "高层", "High"},
	{"mid", "中层", "Middle"},
	{"low", "低层", "Low"},
	{"inactive", "休眠", "Inactive"},
	{"potential", "潜在", "Potential"},
};

static const struct class_value roles[] = {
	{"agent", "客服专员", "Agent"},
	{"supervisor", "主管", "Supervisor"},
	{"admin", "管理员", "Administrator"},
};

static const struct class_value date_kinds[] = {
	{"birthday", "生日", "Birthday"},
	{"anniversary", "纪念日", "Anniversary"},
	{"other", "其他", "Other"},
};

#define SET(name, zh, en, v) {name, zh, en, v, KF_ARRAY_LEN(v)}

const struct class_set class_sets[] = {
	SET("kind", "客户类型", "customer type", kinds),
	SET("source", "客户来源", "customer source", sources),
	SET("lifecycle", "生命周期阶段", "lifecycle stage", lifecycles),
	SET("chain_role", "供应链角色", "supply-chain role", chain_roles),
	SET("value_class", "客户价值", "customer value", value_classes),
	SET("tier", "客户层级", "pyramid tier", tiers),
	SET("role", "用户角色", "user role", roles),
	SET("date_kind", "日期类型", "date type", date_kinds),
};

const size_t class_nsets = KF_ARRAY_LEN(class_sets);

const struct class_set *class_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < class_nsets; i++)
		if (!strcmp(class_sets[i].name, name))
			return &class_sets[i];
	return NULL;
}

const struct class_value *class_value(const struct class_set *s, const char *code)
{
	if (!s || !code)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->values[i].code, code))
			return &s->values[i];
	return NULL;
}

/* "top（顶层）、high（高层）…" and "top, high, …".  The sets are small
 * enough that both fit; a longer one would be cut by snprintf between
 * whole items only, because each item is added only if it fits. */
static void list_codes(const struct class_set *s, char *zh, char *en)
{
	size_t zl = 0, el = 0;

	zh[0] = en[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const struct class_value *v = &s->values[i];
		int n = snprintf(NULL, 0, "%s%s（%s）", i ? "、" : "", v->code, v->zh);
		if (n > 0 && zl + (size_t)n < LIST_SIZE)
			zl += (size_t)snprintf(zh + zl, LIST_SIZE - zl, "%s%s（%s）",
					       i ? "、" : "", v->code, v->zh);
		n = snprintf(NULL, 0, "%s%s", i ? ", " : "", v->code);
		if (n > 0 && el + (size_t)n < LIST_SIZE)
			el += (size_t)snprintf(en + el, LIST_SIZE - el, "%s%s",
					       i ? ", " : "", v->code);
	}
}

int class_check(const char *set, const char *field, const char *code, kf_err *e)
{
	kf_err scratch;
	char zh[LIST_SIZE], en[LIST_SIZE], echo[ECHO_SIZE];

	if (!e)
		e = &scratch;
	const struct class_set *s = class_find(set);
	if (!s)
		return kf_fail(e, KF_EINTERNAL, field, "未知的分类：%s",
			       "unknown classification: %s", set ? set : "(null)");
	if (class_value(s, code))
		return 0;
	list_codes(s, zh, en);
	valid_excerpt(code, echo, sizeof(echo));
	/* kf_fail gives both formats the same arguments, and these messages
	 * need different ones, so they are written here. */
	kf_fail(e, KF_EINVAL, field, NULL, NULL);
	if (!code || !*code) {
		snprintf(e->zh, sizeof(e->zh), "请选择%s，可选：%s", s->zh, zh);
		snprintf(e->en, sizeof(e->en), "%s is required; allowed values: %s", s->en, en);
	} else {
		snprintf(e->zh, sizeof(e->zh), "%s的取值“%s”无效，可选：%s", s->zh, echo, zh);
		snprintf(e->en, sizeof(e->en), "invalid %s \"%s\"; allowed values: %s",
			 s->en, echo, en);
	}
	return KF_EINVAL;
}
