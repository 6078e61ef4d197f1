/* impfield.c - see impfield.h.  Tables first: the fields of each kind and
 * the header names that suggest them; then the value parsers. */
#include "core/impfield.h"

#include <stdio.h>
#include <string.h>

#include "core/classes.h"
#include "lib/common.h"

static const struct impf_field customer_fields[] = {
	{"name", "客户名称", "Name", 1, NULL},
	{"phone", "手机/电话", "Phone", 0, NULL},
	{"kind", "客户类型", "Type", 0, "kind"},
	{"source", "客户来源", "Source", 0, "source"},
	{"lifecycle", "生命周期阶段", "Lifecycle", 0, "lifecycle"},
	{"chain_role", "供应链角色", "Supply-chain role", 0, "chain_role"},
	{"value_class", "客户价值", "Value", 0, "value_class"},
	{"industry", "行业", "Industry", 0, NULL},
	{"company", "公司", "Company", 0, NULL},
	{"address", "地址", "Address", 0, NULL},
	{"email", "电子邮箱", "E-mail", 0, NULL},
	{"wechat", "微信", "WeChat", 0, NULL},
	{"birthday", "生日", "Birthday", 0, NULL},
	{"standing", "社会经济地位", "Standing", 0, NULL},
	{"hobbies", "爱好", "Hobbies", 0, NULL},
	{"memorable", "难忘经历", "Memorable", 0, NULL},
	{"notes", "备注", "Notes", 0, NULL},
	{"tags", "标签", "Tags", 0, NULL},
	{"owner", "负责人（用户名）", "Owner (user name)", 0, NULL},
	{0, 0, 0, 0, 0},
};

static const struct impf_field order_fields[] = {
	{"customer_phone", "客户手机/电话", "Customer phone", 0, NULL},
	{"customer_id", "客户编号", "Customer id", 0, NULL},
	{"order_no", "订单号", "Order number", 1, NULL},
	{"product", "产品", "Product", 0, NULL},
	{"amount", "金额（元）", "Amount (yuan)", 1, NULL},
	{"margin", "毛利（元）", "Margin (yuan)", 0, NULL},
	{"ordered_at", "下单日期", "Order date", 1, NULL},
	{"note", "备注", "Note", 0, NULL},
	{0, 0, 0, 0, 0},
};

struct synonym {
	const char *header; /* normalised: lower case, no blanks */
	const char *field;
};

static const struct synonym customer_syn[] = {
	{"姓名", "name"}, {"客户名称", "name"}, {"客户姓名", "name"}, {"客户名", "name"},
	{"名称", "name"}, {"客户", "name"}, {"name", "name"}, {"customer", "name"},
	{"customername", "name"}, {"fullname", "name"},
	{"手机", "phone"}, {"手机号", "phone"}, {"手机号码", "phone"}, {"电话", "phone"},
	{"联系电话", "phone"}, {"电话号码", "phone"}, {"移动电话", "phone"}, {"联系方式", "phone"},
	{"phone", "phone"}, {"mobile", "phone"}, {"tel", "phone"}, {"telephone", "phone"},
	{"客户类型", "kind"}, {"类型", "kind"}, {"kind", "kind"}, {"type", "kind"},
	{"来源", "source"}, {"客户来源", "source"}, {"source", "source"},
	{"生命周期", "lifecycle"}, {"生命周期阶段", "lifecycle"}, {"阶段", "lifecycle"},
	{"lifecycle", "lifecycle"},
	{"供应链角色", "chain_role"}, {"客户角色", "chain_role"}, {"chainrole", "chain_role"},
	{"客户价值", "value_class"}, {"价值", "value_class"}, {"价值分类", "value_class"},
	{"value", "value_class"}, {"valueclass", "value_class"},
	{"行业", "industry"}, {"所属行业", "industry"}, {"industry", "industry"},
	{"公司", "company"}, {"单位", "company"}, {"公司名称", "company"}, {"工作单位", "company"},
	{"company", "company"}, {"organization", "company"},
	{"地址", "address"}, {"联系地址", "address"}, {"通讯地址", "address"}, {"住址", "address"},
	{"address", "address"},
	{"邮箱", "email"}, {"电子邮箱", "email"}, {"电子邮件", "email"}, {"email", "email"},
	{"e-mail", "email"}, {"mail", "email"},
	{"微信", "wechat"}, {"微信号", "wechat"}, {"wechat", "wechat"},
	{"生日", "birthday"}, {"出生日期", "birthday"}, {"birthday", "birthday"},
	{"dateofbirth", "birthday"},
	{"社会地位", "standing"}, {"经济状况", "standing"}, {"standing", "standing"},
	{"爱好", "hobbies"}, {"兴趣爱好", "hobbies"}, {"hobbies", "hobbies"},
	{"难忘经历", "memorable"}, {"memorable", "memorable"},
	{"备注", "notes"}, {"说明", "notes"}, {"notes", "notes"}, {"note", "notes"},
	{"remark", "notes"}, {"remarks", "notes"},
	{"标签", "tags"}, {"tags", "tags"}, {"tag", "tags"},
	{"负责人", "owner"}, {"客户经理", "owner"}, {"归属客服", "owner"}, {"owner", "owner"},
	{0, 0},
};

static const struct synonym order_syn[] = {
	{"手机", "customer_phone"}, {"手机号", "customer_phone"}, {"电话", "customer_phone"},
	{"联系电话", "customer_phone"}, {"客户手机", "customer_phone"},
	{"客户电话", "customer_phone"}, {"phone", "customer_phone"},
	{"customerphone", "customer_phone"},
	{"客户编号", "customer_id"}, {"客户id", "customer_id"}, {"customerid", "customer_id"},
	{"订单号", "order_no"}, {"订单编号", "order_no"}, {"单号", "order_no"},
	{"orderno", "order_no"}, {"ordernumber", "order_no"}, {"order", "order_no"},
	{"产品", "product"}, {"商品", "product"}, {"产品名称", "product"},
	{"商品名称", "product"}, {"product", "product"},
	{"金额", "amount"}, {"订单金额", "amount"}, {"成交金额", "amount"},
	{"实付金额", "amount"}, {"amount", "amount"},
	{"毛利", "margin"}, {"利润", "margin"}, {"margin", "margin"},
	{"日期", "ordered_at"}, {"下单时间", "ordered_at"}, {"下单日期", "ordered_at"},
	{"订单日期", "ordered_at"}, {"成交日期", "ordered_at"}, {"时间", "ordered_at"},
	{"date", "ordered_at"}, {"orderdate", "ordered_at"},
	{"备注", "note"}, {"note", "note"}, {"notes", "note"}, {"remark", "note"},
	{0, 0},
};

const struct impf_field *impf_fields(enum impf_kind k)
{
	return k == IMPF_ORDERS ? order_fields : customer_fields;
}

const struct impf_field *impf_field(enum impf_kind k, const char *name)
{
	for (const struct impf_field *f = impf_fields(k); name && f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

int impf_kind_parse(const char *s)
{
	if (s && !strcmp(s, "customers"))
		return IMPF_CUSTOMERS;
	if (s && !strcmp(s, "orders"))
		return IMPF_ORDERS;
	return -1;
}

/* Lower-cased ASCII without blanks, '_', '-', '*' (a "required" mark) and
 * bracketed parts, ASCII or full-width. */
static void norm_header(const char *h, char *out, size_t outlen)
{
	size_t n = 0;
	int depth = 0;
	for (const unsigned char *p = (const unsigned char *)h; *p && n + 1 < outlen; p++) {
		if (*p == '(' || !strncmp((const char *)p, "（", 3) || !strncmp((const char *)p, "【", 3)) {
			depth++;
			p += *p == '(' ? 0 : 2;
			continue;
		}
		if (*p == ')' || !strncmp((const char *)p, "）", 3) || !strncmp((const char *)p, "】", 3)) {
			depth -= depth > 0;
			p += *p == ')' ? 0 : 2;
			continue;
		}
		if (depth || *p == ' ' || *p == '\t' || *p == '_' || *p == '-' || *p == '*' ||
		    *p == '\r' || *p == '\n')
			continue;
		if (!strncmp((const char *)p, "\xe3\x80\x80", 3)) { /* U+3000 */
			p += 2;
			continue;
		}
		out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
	out[n] = '\0';
}

const char *impf_suggest(enum impf_kind k, const char *header)
{
	char h[128];
	if (!header)
		return NULL;
	norm_header(header, h, sizeof(h));
	if (!*h)
		return NULL;
	for (const struct synonym *s = k == IMPF_ORDERS ? order_syn : customer_syn; s->header; s++)
		if (!strcmp(s->header, h))
			return s->field;
	/* The field names and labels themselves. */
	for (const struct impf_field *f = impf_fields(k); f->name; f++)
		if (!strcmp(f->name, h))
			return f->name;
	return NULL;
}

/* ------------------------------------------------------------ values */

static int is_blank_at(const char *p, size_t *len)
{
	unsigned char c = (unsigned char)*p;
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
		*len = 1;
		return 1;
	}
	if (!strncmp(p, "\xe3\x80\x80", 3)) {
		*len = 3;
		return 1;
	}
	if (!strncmp(p, "\xc2\xa0", 2)) {
		*len = 2;
		return 1;
	}
	return 0;
}

char *impf_trim(char *s)
{
	size_t l;
	while (*s && is_blank_at(s, &l))
		s += l;
	size_t n = strlen(s);
	for (;;) {
		if (n >= 1 && is_blank_at(s + n - 1, &l) && l == 1)
			n -= 1;
		else if (n >= 2 && is_blank_at(s + n - 2, &l) && l == 2)
			n -= 2;
		else if (n >= 3 && is_blank_at(s + n - 3, &l) && l == 3)
			n -= 3;
		else
			break;
		s[n] = '\0';
	}
	return s;
}

static const char *skip_prefix(const char *s, const char *const *prefixes)
{
	for (const char *const *p = prefixes; *p; p++)
		if (!strncmp(s, *p, strlen(*p)))
			return s + strlen(*p);
	return s;
}

int impf_amount_fen(const char *s, int64_t *fen)
{
	static const char *const currency[] = {"¥", "￥", "RMB", "CNY", NULL};
	int neg = 0;
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	s = skip_prefix(s, currency);
	while (*s == ' ')
		s++;
	if (*s == '-' && !neg) {
		neg = 1;
		s++;
	}
	int64_t yuan = 0, cents = 0;
	int digits = 0, decimals = -1;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (decimals >= 0) {
				if (++decimals > 2)
					return -1;
				cents = cents * 10 + (*s - '0');
			} else {
				if (yuan > 100000000000LL)
					return -1;
				yuan = yuan * 10 + (*s - '0');
			}
			digits++;
		} else if (*s == ',' && decimals < 0) {
			continue;
		} else if (*s == '.' && decimals < 0) {
			decimals = 0;
		} else {
			break;
		}
	}
	if (decimals == 1)
		cents *= 10;
	while (*s == ' ')
		s++;
	if (!strcmp(s, "元"))
		s += strlen("元");
	if (*s || !digits)
		return -1;
	int64_t v = yuan * 100 + cents;
	if (v > 1000000000000LL)
		return -1;
	*fen = neg ? -v : v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Reads up to maxd digits; returns how many were read. */
static int read_num(const char **s, int maxd, int *out)
{
	int n = 0, v = 0;
	while (n < maxd && **s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	*out = v;
	return n;
}

static int read_sep(const char **s, const char *cjk)
{
	if (**s == '-' || **s == '/' || **s == '.') {
		(*s)++;
		return 1;
	}
	if (cjk && !strncmp(*s, cjk, strlen(cjk))) {
		*s += strlen(cjk);
		return 1;
	}
	return 0;
}

/* An Excel serial day number (1900 system): whole days, optional fraction. */
static int excel_serial(const char *s, int64_t *days, double *frac)
{
	int64_t v = 0;
	int n = 0;
	for (; *s >= '0' && *s <= '9'; s++, n++)
		if (n < 7) /* more digits are refused below; do not overflow on the way */
			v = v * 10 + (*s - '0');
	double f = 0, scale = 0.1;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			f += (*s - '0') * scale;
	/* From 10000 (1927-05-18): smaller numbers are more likely years or typos. */
	if (*s || n == 0 || n > 6 || v < 10000 || v > 73050) /* up to 2099-12-31 */
		return -1;
	/* Serial 60 is Excel's phantom 1900-02-29; from 61 on, day 0 is 1899-12-30. */
	*days = days_from_civil(1899, 12, 30) + v + (v < 61);
	*frac = f;
	return 0;
}

static int parse_ymd(const char **ps, int *y, int *m, int *d)
{
	const char *s = *ps;
	int ny = read_num(&s, 4, y);
	if (ny == 4 && *s >= '0' && *s <= '9') /* 20240305 */
		return -1;
	if (ny == 4 && !*s)
		return -1;
	if (ny == 4 && read_sep(&s, "年") && read_num(&s, 2, m) && read_sep(&s, "月") &&
	    read_num(&s, 2, d)) {
		if (!strncmp(s, "日", 3))
			s += 3;
		*ps = s;
		return 0;
	}
	return -1;
}

static int compact_ymd(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) < 8)
		return -1;
	for (int i = 0; i < 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[4] - '0') * 10 + (s[5] - '0');
	*d = (s[6] - '0') * 10 + (s[7] - '0');
	return 8;
}

static int date_ok(int y, int m, int d)
{
	return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* The date part of s: 0 with *rest after it, or -1. */
static int parse_date(const char *s, int *y, int *m, int *d, const char **rest, double *frac)
{
	int64_t days;
	*frac = -1;
	if (excel_serial(s, &days, frac) == 0) {
		civil_from_days(days, y, m, d);
		*rest = "";
		return 0;
	}
	*frac = -1;
	const char *p = s;
	int n;
	if (parse_ymd(&p, y, m, d) == 0) {
		*rest = p;
	} else if ((n = compact_ymd(s, y, m, d)) > 0) {
		*rest = s + n;
	} else {
		return -1;
	}
	return date_ok(*y, *m, *d) ? 0 : -1;
}

int impf_date(const char *s, char out[11])
{
	int y, m, d;
	const char *rest;
	double frac;
	if (!s)
		return -1;
	if (parse_date(s, &y, &m, &d, &rest, &frac) == 0) {
		while (*rest == ' ')
			rest++;
		/* a time of day after a date is fine for a birthday: dropped */
		if (*rest && !(rest[0] >= '0' && rest[0] <= '9' && strchr(rest, ':')))
			return -1;
		snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
		return 0;
	}
	/* A month and a day only: "3月5日", "03-05", "3/5". */
	const char *p = s;
	if (read_num(&p, 2, &m) && read_sep(&p, "月") && read_num(&p, 2, &d)) {
		if (!strncmp(p, "日", 3))
			p += 3;
		if (!*p && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(2000, m)) {
			snprintf(out, 11, "%02d-%02d", m, d);
			return 0;
		}
	}
	return -1;
}

int impf_datetime_ms(const char *s, int tz_min, int64_t *ms)
{
	int y, m, d, hh = 0, mm = 0, ss = 0;
	const char *rest;
	double frac;
	if (!s || parse_date(s, &y, &m, &d, &rest, &frac) < 0)
		return -1;
	int64_t secs_of_day = 0;
	if (frac >= 0) {
		secs_of_day = (int64_t)(frac * 86400 + 0.5);
	} else {
		while (*rest == ' ' || *rest == 'T')
			rest++;
		if (*rest) {
			if (!read_num(&rest, 2, &hh) || *rest++ != ':' || read_num(&rest, 2, &mm) != 2)
				return -1;
			if (*rest == ':' && (rest++, read_num(&rest, 2, &ss) != 2))
				return -1;
			while (*rest == ' ')
				rest++;
			if (*rest || hh > 23 || mm > 59 || ss > 59)
				return -1;
		}
		secs_of_day = hh * 3600 + mm * 60 + ss;
	}
	int64_t days = days_from_civil(y, m, d);
	*ms = (days * 86400 + secs_of_day - (int64_t)tz_min * 60) * 1000;
	return 0;
}

struct alias {
	const char *set, *text, *code;
};

static const struct alias aliases[] = {
	{"kind", "企业", "organization"},   {"kind", "公司", "organization"},
	{"kind", "单位", "organization"},   {"kind", "机构", "organization"},
	{"kind", "个体", "person"},         {"value_class", "大客户", "key"},
	{"value_class", "关键", "key"},     {"value_class", "重要客户", "key"},
	{"value_class", "vip", "key"},      {"value_class", "普通", "ordinary"},
	{"lifecycle", "常规", "general"},   {"lifecycle", "一般客户", "general"},
	{"lifecycle", "忠诚客户", "loyal"}, {"lifecycle", "潜在客户", "potential"},
	{"lifecycle", "临时客户", "temporary"}, {"source", "外部", "external"},
	{"source", "内部", "internal"},     {"chain_role", "中间", "intermediate"},
	{"chain_role", "终端", "terminal"}, {"chain_role", "经销商", "intermediate"},
	{"chain_role", "公利", "public"},   {0, 0, 0},
};

const char *impf_class_code(const char *set, const char *text)
{
	const struct class_set *cs = class_find(set);
	if (!cs || !text || !*text)
		return NULL;
	for (size_t i = 0; i < cs->n; i++) {
		const struct class_value *v = &cs->values[i];
		if (!strcmp(v->code, text) || !strcmp(v->zh, text) || !strcasecmp(v->en, text))
			return v->code;
	}
	for (const struct alias *a = aliases; a->set; a++)
		if (!strcmp(a->set, set) && !strcasecmp(a->text, text))
			return a->code;
	return NULL;
}

void impf_split_tags(const char *s, void (*fn)(void *ctx, const char *t, size_t n), void *ctx)
{
	static const char *const seps[] = {",", "，", "、", ";", "；", " ", "\xe3\x80\x80", "|", NULL};
	const char *start = s;
	while (*s) {
		size_t l = 0;
		for (const char *const *p = seps; *p && !l; p++)
			if (!strncmp(s, *p, strlen(*p)))
				l = strlen(*p);
		if (!l) {
			s++;
			continue;
		}
		if (s > start)
			fn(ctx, start, (size_t)(s - start));
		s += l;
		start = s;
	}
	if (s > start)
		fn(ctx, start, (size_t)(s - start));
}
