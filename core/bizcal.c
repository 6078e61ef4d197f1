#include "core/bizcal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/validate.h"
#include "lib/common.h"

enum { DAY_MIN = 1440 };

static const char *const wd_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int64_t bizcal_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int32_t bizcal_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void bizcal_civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int bizcal_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = bizcal_floor_div((int64_t)day + 3, 7);
	return (int)((int64_t)day + 3 - w * 7) + 1;
}

int bizcal_parse_date(const char *s, int32_t *day)
{
	if (!s || strlen(s) != 10 || !valid_date(s))
		return -1;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	*day = bizcal_days_from_civil(y, m, d);
	return 0;
}

void bizcal_init(struct bizcal *c, struct bizcal_day *storage, size_t cap)
{
	memset(c->hours, 0, sizeof(c->hours));
	memset(c->nhours, 0, sizeof(c->nhours));
	c->days = storage;
	c->ndays = 0;
	c->cap = storage ? cap : 0;
}

void bizcal_default_hours(struct bizcal *c)
{
	static const struct bizcal_interval std[] = {{9 * 60, 12 * 60}, {13 * 60, 18 * 60}};
	for (int w = 1; w <= 7; w++)
		bizcal_set_hours(c, w, std, w <= 5 ? 2 : 0, NULL);
}

int bizcal_set_hours(struct bizcal *c, int weekday, const struct bizcal_interval *iv, int n,
		     kf_err *e)
{
	kf_err scratch;
	if (!e)
		e = &scratch;
	if (weekday < 1 || weekday > 7)
		return kf_fail(e, KF_EINVAL, "weekday", "星期须为 1（周一）到 7（周日）",
			       "The weekday must be 1 (Monday) to 7 (Sunday)");
	if (n < 0 || n > BIZCAL_MAX_INTERVALS)
		return kf_fail(e, KF_EINVAL, "hours", "每天最多 %d 个工作时段",
			       "At most %d working intervals a day", BIZCAL_MAX_INTERVALS);
	for (int i = 0; i < n; i++) {
		if (iv[i].start < 0 || iv[i].end > DAY_MIN || iv[i].start >= iv[i].end)
			return kf_fail(e, KF_EINVAL, "hours", "工作时段须在 00:00–24:00 之内且开始早于结束",
				       "An interval lies within 00:00–24:00 and starts before it ends");
		if (i && iv[i].start < iv[i - 1].end)
			return kf_fail(e, KF_EINVAL, "hours", "工作时段须按时间顺序排列且互不重叠",
				       "Intervals are in order and do not overlap");
	}
	for (int i = 0; i < n; i++)
		c->hours[weekday - 1][i] = iv[i];
	c->nhours[weekday - 1] = n;
	return 0;
}

static size_t lower_bound(const struct bizcal *c, int32_t day)
{
	size_t lo = 0, hi = c->ndays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct bizcal_day *bizcal_find_day(const struct bizcal *c, int32_t day)
{
	size_t i = lower_bound(c, day);
	return i < c->ndays && c->days[i].day == day ? &c->days[i] : NULL;
}

int bizcal_add_day(struct bizcal *c, int32_t day, enum bizcal_kind kind, const char *name,
		   kf_err *e)
{
	kf_err scratch;
	if (!e)
		e = &scratch;
	if (kind != BIZCAL_HOLIDAY && kind != BIZCAL_WORKDAY)
		return kf_fail(e, KF_EINVAL, "kind", "日期类型须为 holiday 或 workday",
			       "The kind of a date is holiday or workday");
	size_t i = lower_bound(c, day);
	if (i < c->ndays && c->days[i].day == day)
		return kf_fail(e, KF_ECONFLICT, "day", "该日期已设置", "The date is set already");
	if (c->ndays >= c->cap)
		return kf_fail(e, KF_EINVAL, "days", "日期条目过多（最多 %zu 个）",
			       "Too many dates (at most %zu)", c->cap);
	memmove(&c->days[i + 1], &c->days[i], (c->ndays - i) * sizeof(c->days[0]));
	struct bizcal_day *d = &c->days[i];
	d->day = day;
	d->kind = kind;
	d->line = 0;
	/* Cut the name at a character boundary. */
	size_t n = 0;
	const char *p = name ? name : "";
	for (size_t k; (k = valid_utf8_char(p + n)) && n + k < sizeof(d->name);)
		n += k;
	memcpy(d->name, p, n);
	d->name[n] = '\0';
	c->ndays++;
	return 0;
}

static int makeup_weekday(const struct bizcal *c)
{
	for (int w = 0; w < 7; w++)
		if (c->nhours[w])
			return w;
	return -1;
}

int bizcal_intervals(const struct bizcal *c, int32_t day, const struct bizcal_interval **out)
{
	const struct bizcal_day *d = bizcal_find_day(c, day);
	int w = bizcal_weekday(day) - 1;
	if (d && d->kind == BIZCAL_HOLIDAY)
		w = -1;
	else if (d && d->kind == BIZCAL_WORKDAY)
		w = makeup_weekday(c);
	if (w < 0) {
		*out = NULL;
		return 0;
	}
	*out = c->hours[w];
	return c->nhours[w];
}

int bizcal_has_hours(const struct bizcal *c)
{
	return makeup_weekday(c) >= 0;
}

int bizcal_add(const struct bizcal *c, int64_t start, int64_t minutes, int64_t *out, kf_err *e)
{
	kf_err scratch;
	if (!e)
		e = &scratch;
	if (minutes < 0)
		return kf_fail(e, KF_EINVAL, "minutes", "分钟数不能为负", "Minutes must not be negative");
	if (minutes == 0) {
		*out = start;
		return 0;
	}
	int64_t day = bizcal_floor_div(start, DAY_MIN);
	int64_t m = start - day * DAY_MIN, left = minutes;
	for (int i = 0; i < BIZCAL_MAX_SCAN_DAYS; i++, day++, m = 0) {
		const struct bizcal_interval *iv;
		int n = bizcal_intervals(c, (int32_t)day, &iv);
		for (int k = 0; k < n; k++) {
			int64_t s = iv[k].start > m ? iv[k].start : m;
			if (s >= iv[k].end)
				continue;
			int64_t avail = iv[k].end - s;
			if (left <= avail) {
				*out = day * DAY_MIN + s + left;
				return 0;
			}
			left -= avail;
		}
	}
	return kf_fail(e, KF_EINVAL, "calendar", "工作日历在 %d 天内没有足够的工作时间",
		       "The business calendar has too little working time within %d days",
		       BIZCAL_MAX_SCAN_DAYS);
}

int64_t bizcal_between(const struct bizcal *c, int64_t a, int64_t b)
{
	if (b < a)
		return -bizcal_between(c, b, a);
	int64_t total = 0;
	int64_t first = bizcal_floor_div(a, DAY_MIN), last = bizcal_floor_div(b, DAY_MIN);
	for (int64_t day = first; day <= last; day++) {
		const struct bizcal_interval *iv;
		int n = bizcal_intervals(c, (int32_t)day, &iv);
		int64_t base = day * DAY_MIN;
		for (int k = 0; k < n; k++) {
			int64_t s = base + iv[k].start, t = base + iv[k].end;
			if (s < a)
				s = a;
			if (t > b)
				t = b;
			if (t > s)
				total += t - s;
		}
	}
	return total;
}

/* ------------------------------------------------------------ the text format */

/* The message of an error on a line, each language written apart, cut
 * at a character boundary (it quotes the file, which may be anything). */
static int line_msg(kf_err *e, int line, const char *zh, const char *en)
{
	char z[201], g[201];
	valid_excerpt(zh, z, sizeof(z));
	valid_excerpt(en, g, sizeof(g));
	kf_fail(e, KF_EINVAL, "text", NULL, NULL);
	snprintf(e->zh, sizeof(e->zh), "第 %d 行：%s", line, z);
	snprintf(e->en, sizeof(e->en), "line %d: %s", line, g);
	return KF_EINVAL;
}

/* zh and en take the same arguments. */
static int line_fail(kf_err *e, int line, const char *zh, const char *en, ...)
{
	char z[1024], g[1024]; /* line_msg cuts them to what fits */
	va_list ap;
	va_start(ap, en);
	vsnprintf(z, sizeof(z), zh, ap);
	va_end(ap);
	va_start(ap, en);
	vsnprintf(g, sizeof(g), en, ap);
	va_end(ap);
	return line_msg(e, line, z, g);
}

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The next whitespace-delimited word into w; returns the rest. */
static const char *word(const char *p, char *w, size_t wlen)
{
	size_t n = 0;
	p = skip_sp(p);
	while (*p && *p != ' ' && *p != '\t') {
		if (n + 1 < wlen)
			w[n++] = *p;
		else
			n = wlen; /* too long: reported by the caller as unknown */
		p++;
	}
	if (n >= wlen)
		n = wlen - 1, w[0] = '?';
	w[n] = '\0';
	return p;
}

static int wd_parse(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncmp(s, wd_names[i], 3))
			return i;
	return -1;
}

/* "mon-fri,sun" → mask of weekdays (bit 0 = Monday); 0 on error. */
static unsigned weekday_mask(const char *s)
{
	unsigned mask = 0;
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		const char *dash = memchr(s, '-', len);
		int a, b;
		if (dash) {
			a = wd_parse(s, (size_t)(dash - s));
			b = wd_parse(dash + 1, len - (size_t)(dash - s) - 1);
		} else {
			a = b = wd_parse(s, len);
		}
		if (a < 0 || b < 0 || b < a)
			return 0;
		for (int i = a; i <= b; i++)
			mask |= 1u << i;
		s += len;
		if (*s == ',')
			s++;
		if (comma && !*s)
			return 0;
	}
	return mask;
}

static int parse_intervals(const char *s, struct bizcal_interval *iv, int *n)
{
	*n = 0;
	if (!strcmp(s, "off") || !strcmp(s, "-"))
		return 0;
	while (*s) {
		char a[6], b[6];
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (len != 11 || s[5] != '-' || *n >= BIZCAL_MAX_INTERVALS)
			return -1;
		memcpy(a, s, 5);
		a[5] = '\0';
		memcpy(b, s + 6, 5);
		b[5] = '\0';
		if (!valid_hhmm(a, &iv[*n].start) || !valid_hhmm(b, &iv[*n].end) ||
		    iv[*n].start >= 1440)
			return -1;
		(*n)++;
		s += len;
		if (*s == ',' && !*++s)
			return -1;
	}
	return *n ? 0 : -1;
}

static int parse_hours(struct bizcal *c, const char *rest, int line, kf_err *e)
{
	char days[64], spans[128], extra[8];
	rest = word(rest, days, sizeof(days));
	rest = word(rest, spans, sizeof(spans));
	word(rest, extra, sizeof(extra));
	unsigned mask = weekday_mask(days);
	if (!mask)
		return line_fail(e, line, "星期“%s”无效（应为 mon…sun，如 mon-fri 或 sat,sun）",
				 "invalid weekdays \"%s\" (mon..sun, e.g. mon-fri or sat,sun)", days);
	struct bizcal_interval iv[BIZCAL_MAX_INTERVALS];
	int n;
	if (!*spans || *extra || parse_intervals(spans, iv, &n) < 0)
		return line_fail(e, line, "工作时段应为 HH:MM-HH:MM，以逗号分隔，最多 %d 段，或 off",
				 "hours are HH:MM-HH:MM separated by commas, at most %d, or off",
				 BIZCAL_MAX_INTERVALS);
	for (int w = 0; w < 7; w++) {
		kf_err sub;
		if ((mask & (1u << w)) && bizcal_set_hours(c, w + 1, iv, n, &sub) < 0)
			return line_msg(e, line, sub.zh, sub.en);
	}
	return 0;
}

static int parse_day_line(struct bizcal *c, const char *first, const char *rest, int line,
			  kf_err *e)
{
	char kind[16];
	int32_t a, b;
	char from[11], to[11];
	size_t fl = strlen(first);
	if (fl == 10) {
		memcpy(from, first, 11);
		memcpy(to, first, 11);
	} else if (fl == 22 && first[10] == '.' && first[11] == '.') {
		memcpy(from, first, 10);
		from[10] = '\0';
		memcpy(to, first + 12, 11);
	} else {
		char ex[41];
		valid_excerpt(first, ex, sizeof(ex));
		return line_fail(e, line, "无法识别“%s”（应为 hours、日期或 # 注释）",
				 "cannot read \"%s\" (expected hours, a date or a # comment)", ex);
	}
	if (bizcal_parse_date(from, &a) < 0 || bizcal_parse_date(to, &b) < 0)
		return line_fail(e, line, "日期应为有效的 YYYY-MM-DD", "dates are valid YYYY-MM-DD");
	if (b < a)
		return line_fail(e, line, "日期范围的结束早于开始", "the range ends before it starts");
	if (b - a > 366)
		return line_fail(e, line, "日期范围最长一年", "a range spans at most a year");
	rest = word(rest, kind, sizeof(kind));
	enum bizcal_kind k = !strcmp(kind, "holiday") ? BIZCAL_HOLIDAY
			     : !strcmp(kind, "workday") ? BIZCAL_WORKDAY
							: BIZCAL_NORMAL;
	if (k == BIZCAL_NORMAL)
		return line_fail(e, line, "日期后应为 holiday（放假）或 workday（调休上班）",
				 "a date is followed by holiday or workday");
	const char *name = skip_sp(rest);
	char nm[BIZCAL_NAME_SIZE];
	size_t nl = strlen(name);
	while (nl && (name[nl - 1] == ' ' || name[nl - 1] == '\t'))
		nl--;
	if (nl >= sizeof(nm))
		return line_fail(e, line, "名称过长（最多 %d 字节）", "the name is too long (at most %d bytes)",
				 BIZCAL_NAME_SIZE - 1);
	memcpy(nm, name, nl);
	nm[nl] = '\0';
	size_t chars;
	if (!valid_utf8_len(nm, BIZCAL_NAME_SIZE, &chars))
		return line_fail(e, line, "名称含有无效字符", "the name contains invalid characters");
	for (int32_t d = a; d <= b; d++) {
		const struct bizcal_day *old = bizcal_find_day(c, d);
		if (old) {
			int y, m, dd;
			bizcal_civil_from_days(d, &y, &m, &dd);
			kf_fail(e, KF_ECONFLICT, "text", NULL, NULL);
			snprintf(e->zh, sizeof(e->zh), "第 %d 行：%04d-%02d-%02d 已在第 %d 行设置", line, y,
				 m, dd, old->line);
			snprintf(e->en, sizeof(e->en), "line %d: %04d-%02d-%02d is set already on line %d",
				 line, y, m, dd, old->line);
			return KF_ECONFLICT;
		}
		kf_err sub;
		if (bizcal_add_day(c, d, k, nm, &sub) < 0)
			return line_msg(e, line, sub.zh, sub.en);
		((struct bizcal_day *)bizcal_find_day(c, d))->line = line;
	}
	return 0;
}

int bizcal_parse(struct bizcal *c, const char *text, int *line, kf_err *e)
{
	kf_err scratch;
	int saw_hours = 0, ln = 0;
	if (!e)
		e = &scratch;
	*line = 0;
	const char *p = text ? text : "";
	if (!strncmp(p, "\xEF\xBB\xBF", 3)) /* a byte-order mark from Windows editors */
		p += 3;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char buf[512];
		ln++;
		if (len >= sizeof(buf)) {
			*line = ln;
			return line_fail(e, ln, "行过长", "the line is too long");
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (eol != NULL);
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		for (char *q = buf; *q; q++)
			if (*q == '\r')
				*q = ' ';
		char first[32];
		const char *rest = word(buf, first, sizeof(first));
		if (!*first)
			continue;
		int rc;
		if (!strcmp(first, "hours")) {
			if (!saw_hours)
				memset(c->nhours, 0, sizeof(c->nhours));
			saw_hours = 1;
			rc = parse_hours(c, rest, ln, e);
		} else {
			rc = parse_day_line(c, first, rest, ln, e);
		}
		if (rc < 0) {
			*line = ln;
			return rc;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ writing it */

struct out {
	char *p;
	size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	size_t room = o->len < o->cap ? o->cap - o->len : 0;
	int n = vsnprintf(room ? o->p + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static int same_hours(const struct bizcal *c, int a, int b)
{
	if (c->nhours[a] != c->nhours[b])
		return 0;
	for (int i = 0; i < c->nhours[a]; i++)
		if (c->hours[a][i].start != c->hours[b][i].start ||
		    c->hours[a][i].end != c->hours[b][i].end)
			return 0;
	return 1;
}

static void put_hhmm(struct out *o, int m)
{
	put(o, "%02d:%02d", m / 60, m % 60);
}

static void put_date(struct out *o, int32_t day)
{
	int y, m, d;
	bizcal_civil_from_days(day, &y, &m, &d);
	put(o, "%04d-%02d-%02d", y, m, d);
}

size_t bizcal_format(const struct bizcal *c, char *out, size_t outlen)
{
	struct out o = {out, 0, outlen};
	if (outlen)
		out[0] = '\0';
	int done[7] = {0};
	for (int w = 0; w < 7; w++) {
		if (done[w])
			continue;
		put(&o, "hours ");
		int first = 1;
		for (int v = w; v < 7; v++) {
			if (done[v] || !same_hours(c, w, v))
				continue;
			int end = v;
			while (end + 1 < 7 && !done[end + 1] && same_hours(c, w, end + 1))
				end++;
			put(&o, "%s%s", first ? "" : ",", wd_names[v]);
			if (end > v)
				put(&o, "-%s", wd_names[end]);
			for (int k = v; k <= end; k++)
				done[k] = 1;
			first = 0;
			v = end;
		}
		if (!c->nhours[w])
			put(&o, " off");
		for (int i = 0; i < c->nhours[w]; i++) {
			put(&o, "%s", i ? "," : " ");
			put_hhmm(&o, c->hours[w][i].start);
			put(&o, "-");
			put_hhmm(&o, c->hours[w][i].end);
		}
		put(&o, "\n");
	}
	for (size_t i = 0; i < c->ndays;) {
		size_t j = i;
		while (j + 1 < c->ndays && c->days[j + 1].day == c->days[j].day + 1 &&
		       c->days[j + 1].kind == c->days[i].kind &&
		       !strcmp(c->days[j + 1].name, c->days[i].name))
			j++;
		put_date(&o, c->days[i].day);
		if (j > i) {
			put(&o, "..");
			put_date(&o, c->days[j].day);
		}
		put(&o, " %s%s%s\n", c->days[i].kind == BIZCAL_HOLIDAY ? "holiday" : "workday",
		    c->days[i].name[0] ? " " : "", c->days[i].name);
		i = j + 1;
	}
	return o.len;
}
