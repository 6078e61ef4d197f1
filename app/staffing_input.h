/* staffing_input.h - the bodies of the staffing routes (POST
 * /api/hotline/staffing and /shift-plan, shift patterns), read and
 * checked without a database (staffing_input.c); call_staffing.c makes
 * the forecast, computes and stores. */
#ifndef KF_APP_STAFFING_INPUT_H
#define KF_APP_STAFFING_INPUT_H

#include "app/app.h"
#include "core/erlang.h"

enum { STAFF_NIV = 48, STAFF_MAX_WEEKS = 12 };

struct staffing_in {
	struct erlang_target t;
	double shrinkage, patience_s, default_aht;
	double calls[STAFF_NIV], aht_s[STAFF_NIV];
	int64_t day;    /* -1 when the intervals were given or no date was */
	int given;      /* the intervals were given: no forecast */
	int weeks;      /* of history for the forecast (1..STAFF_MAX_WEEKS) */
	const char *queue; /* the forecast's queue, NULL for all */
	int weeks_used;
};

/* Reads r->json (none: every default).  Without intervals, a date given is
 * checked (in->day), and the caller forecasts calls and aht_s. */
int staffing_input_read(http_req *r, struct staffing_in *in);

struct pattern_in {
	const char *name;
	int start, minutes, max_count, active;
	json_t *breaks, *days; /* normalised, owned */
	int has[7];            /* name, start, minutes, breaks, days, max_count, active */
};

/* Reads a shift pattern; on PATCH (creating 0), cur_start and cur_minutes
 * are the stored start and length, so breaks are checked against the
 * result.  On success the caller frees it with pattern_in_free. */
int pattern_input_read(http_req *r, int creating, int cur_start, int cur_minutes,
		       struct pattern_in *p);
void pattern_in_free(struct pattern_in *p);

#endif
