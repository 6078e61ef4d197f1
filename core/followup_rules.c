/* followup_rules.c - see followup_rules.h. */
#include "core/followup_rules.h"

#include "core/bizcal.h"

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

static int two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* "MM-DD" or "YYYY-MM-DD" into month and day. */
static int parse_md(const char *date, int *m, int *d)
{
	const char *p = date;
	if (!p)
		return -1;
	int len = 0;
	while (p[len])
		len++;
	if (len == 10)
		p += 5;
	else if (len != 5)
		return -1;
	if (p[2] != '-' || (*m = two(p)) < 1 || *m > 12 || (*d = two(p + 3)) < 1 ||
	    *d > (*m == 2 ? 29 : month_days(2001, *m)))
		return -1;
	return 0;
}

int fur_next_yearly(const char *date, int32_t from, int32_t *out, int *year)
{
	int m, d, y, fm, fd;
	if (parse_md(date, &m, &d) < 0)
		return -1;
	bizcal_civil_from_days(from, &y, &fm, &fd);
	for (int i = 0; i < 2; i++, y++) {
		int dd = d > month_days(y, m) ? month_days(y, m) : d;
		int32_t day = bizcal_days_from_civil(y, m, dd);
		if (day >= from) {
			*out = day;
			if (year)
				*year = y;
			return 0;
		}
	}
	return -1;
}

int32_t fur_add_months(int32_t day, int months)
{
	int y, m, d;
	bizcal_civil_from_days(day, &y, &m, &d);
	int idx = y * 12 + (m - 1) + months;
	y = idx / 12;
	m = idx % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	return bizcal_days_from_civil(y, m, d);
}
