/* tz.c - time zones through ICU's ucal (see tz.h). */
#include "app/tz.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

#include "core/bizcal.h"
#include "lib/common.h"

enum { ZONE_MAX = 64 };

struct tz_slot {
	char zone[ZONE_MAX];
	UCalendar *cal;
};

static pthread_key_t slot_key;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;

static void slot_free(void *p)
{
	struct tz_slot *s = p;
	if (s->cal)
		ucal_close(s->cal);
	free(s);
}

static void slot_key_make(void)
{
	pthread_key_create(&slot_key, slot_free);
}

static int to_uchars(const char *zone, UChar *out, int32_t cap)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0;
	u_strFromUTF8(out, cap, &n, zone, -1, &st);
	return U_SUCCESS(st) && n < cap ? 0 : -1;
}

static int bad_zone(kf_err *e, const char *field)
{
	return kf_fail(e, KF_EINVAL, field ? field : "timezone",
		       "时区无效（应为 IANA 名称，如 Asia/Shanghai）",
		       "Unknown time zone (use an IANA name such as Asia/Shanghai)");
}

int tz_check(const char *zone, const char *field, kf_err *e)
{
	UChar id[ZONE_MAX], canon[ZONE_MAX];
	UBool system = 0;
	UErrorCode st = U_ZERO_ERROR;
	if (!zone || !*zone || strlen(zone) >= ZONE_MAX || to_uchars(zone, id, ZONE_MAX) < 0)
		return bad_zone(e, field);
	ucal_getCanonicalTimeZoneID(id, -1, canon, ZONE_MAX, &system, &st);
	if (U_FAILURE(st) || !system)
		return bad_zone(e, field);
	return 0;
}

/* The thread's calendar for zone, opened (and the zone checked) once. */
static UCalendar *calendar(const char *zone, kf_err *e)
{
	pthread_once(&slot_once, slot_key_make);
	struct tz_slot *s = pthread_getspecific(slot_key);
	if (s && s->cal && !strcmp(s->zone, zone))
		return s->cal;
	if (tz_check(zone, NULL, e) < 0)
		return NULL;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			kf_fail(e, KF_EINTERNAL, NULL, NULL, NULL);
			return NULL;
		}
		pthread_setspecific(slot_key, s);
	}
	if (s->cal)
		ucal_close(s->cal);
	s->cal = NULL;
	UChar id[ZONE_MAX];
	UErrorCode st = U_ZERO_ERROR;
	to_uchars(zone, id, ZONE_MAX);
	s->cal = ucal_open(id, -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
	if (U_FAILURE(st) || !s->cal) {
		s->cal = NULL;
		kf_fail(e, KF_EINTERNAL, NULL, "无法打开时区 %s", "Cannot open the time zone %s", zone);
		return NULL;
	}
	/* Pure Gregorian for all dates (no Julian switch in 1582). */
	ucal_setGregorianChange(s->cal, -8.64e15, &st);
	snprintf(s->zone, sizeof(s->zone), "%s", zone);
	return s->cal;
}

int tz_local_min(const char *zone, int64_t utc_ms, int64_t *local_min, kf_err *e)
{
	UCalendar *c = calendar(zone, e);
	if (!c)
		return e->code;
	UErrorCode st = U_ZERO_ERROR;
	ucal_setMillis(c, (UDate)utc_ms, &st);
	int32_t off = ucal_get(c, UCAL_ZONE_OFFSET, &st) + ucal_get(c, UCAL_DST_OFFSET, &st);
	if (U_FAILURE(st))
		return kf_fail(e, KF_EINTERNAL, NULL, "时区换算失败", "Time zone conversion failed");
	*local_min = bizcal_floor_div(utc_ms + off, 60000);
	return 0;
}

int tz_utc_ms(const char *zone, int64_t local_min, int64_t *utc_ms, kf_err *e)
{
	UCalendar *c = calendar(zone, e);
	if (!c)
		return e->code;
	int64_t day = bizcal_floor_div(local_min, 1440);
	int64_t mod = local_min - day * 1440;
	int y, m, d;
	bizcal_civil_from_days((int32_t)day, &y, &m, &d);
	UErrorCode st = U_ZERO_ERROR;
	ucal_clear(c);
	ucal_setDateTime(c, y, m - 1, d, (int32_t)(mod / 60), (int32_t)(mod % 60), 0, &st);
	UDate ms = ucal_getMillis(c, &st);
	if (U_FAILURE(st))
		return kf_fail(e, KF_EINTERNAL, NULL, "时区换算失败", "Time zone conversion failed");
	*utc_ms = (int64_t)ms;
	return 0;
}
