/* segment_settings.c - the segmentation rules as an administrator edits
 * them: one JSON document in settings under the key 'segment', read with
 * defaults for what was never set, changed by PATCH (any subset of the
 * keys), validated whole by core (the cut-offs together, the ranges) and
 * audited.
 *
 * JSON keys, one per field of struct seg_settings: the shares are
 * percentages (numbers with at most two decimals: 0.5 is half a percent),
 * rank_by and key_min_tier are codes, lifecycle_auto a boolean, the rest
 * integers. */
#include "app/segment.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"
#include "lib/log.h"
#include "lib/util.h"

enum kind { K_INT, K_PCT, K_BOOL, K_BY, K_TIER };

static const struct key {
	const char *name;
	enum kind kind;
	size_t off;
} keys[] = {
	{"window_months", K_INT, offsetof(struct seg_settings, window_months)},
	{"inactive_months", K_INT, offsetof(struct seg_settings, inactive_months)},
	{"rank_by", K_BY, offsetof(struct seg_settings, rank_by)},
	{"top_pct", K_PCT, offsetof(struct seg_settings, top_bp)},
	{"high_pct", K_PCT, offsetof(struct seg_settings, high_bp)},
	{"mid_pct", K_PCT, offsetof(struct seg_settings, mid_bp)},
	{"lifecycle_auto", K_BOOL, offsetof(struct seg_settings, lifecycle_auto)},
	{"loyal_min_orders", K_INT, offsetof(struct seg_settings, loyal_min_orders)},
	{"loyal_min_r", K_INT, offsetof(struct seg_settings, loyal_min_r)},
	{"loyal_min_f", K_INT, offsetof(struct seg_settings, loyal_min_f)},
	{"temporary_max_orders", K_INT, offsetof(struct seg_settings, temporary_max_orders)},
	{"temporary_max_r", K_INT, offsetof(struct seg_settings, temporary_max_r)},
	{"inactive_is_temporary", K_BOOL, offsetof(struct seg_settings, inactive_is_temporary)},
	{"key_min_tier", K_TIER, offsetof(struct seg_settings, key_min_tier)},
	{"key_min_orders", K_INT, offsetof(struct seg_settings, key_min_orders)},
	{"key_min_history_months", K_INT, offsetof(struct seg_settings, key_min_history_months)},
	{"auto_recompute", K_BOOL, offsetof(struct seg_settings, auto_recompute)},
	{"recompute_hour", K_INT, offsetof(struct seg_settings, recompute_hour)},
};

static int *field(struct seg_settings *s, const struct key *k)
{
	return (int *)((char *)s + k->off);
}

static int bad_type(kf_err *e, const char *name, const char *zh, const char *en)
{
	return kf_fail(e, KF_EINVAL, name, "字段 %s 必须是%s", "The field %s must be %s", name, zh, en);
}

/* A percentage with at most two decimals, as basis points. */
static int read_pct(json_t *v, const char *name, int *out, kf_err *e)
{
	if (!json_is_number(v))
		return bad_type(e, name, "数字（百分比）", "a number (a percentage)");
	double bp = json_number_value(v) * 100.0;
	if (!(bp >= 0.0 && bp <= 10000.0))
		return kf_fail(e, KF_EINVAL, name, "%s 应在 0 到 100 之间", "%s must be between 0 and 100",
			       name);
	if (fabs(bp - round(bp)) > 1e-6)
		return kf_fail(e, KF_EINVAL, name, "%s 最多两位小数", "%s takes at most two decimals",
			       name);
	*out = (int)lround(bp);
	return 0;
}

static int read_code(json_t *v, const struct key *k, int *out, kf_err *e)
{
	const char *s = json_string_value(v);
	if (k->kind == K_BY) {
		if (s && !strcmp(s, "revenue"))
			*out = SEG_BY_REVENUE;
		else if (s && !strcmp(s, "margin"))
			*out = SEG_BY_MARGIN;
		else
			return kf_fail(e, KF_EINVAL, k->name, "rank_by 只能是 revenue（营收）或 margin（毛利）",
				       "rank_by must be revenue or margin");
		return 0;
	}
	int t = seg_tier_parse(s);
	if (t < SEG_TOP || t > SEG_MID)
		return kf_fail(e, KF_EINVAL, k->name, "key_min_tier 只能是 top、high 或 mid",
			       "key_min_tier must be top, high or mid");
	*out = t;
	return 0;
}

static int read_one(json_t *v, const struct key *k, struct seg_settings *s, kf_err *e)
{
	int *p = field(s, k);
	switch (k->kind) {
	case K_PCT:
		return read_pct(v, k->name, p, e);
	case K_BOOL:
		if (!json_is_boolean(v))
			return bad_type(e, k->name, " true 或 false", "true or false");
		*p = json_is_true(v);
		return 0;
	case K_BY:
	case K_TIER:
		return read_code(v, k, p, e);
	default:
		if (!json_is_integer(v) || json_integer_value(v) < -1000000 ||
		    json_integer_value(v) > 1000000)
			return bad_type(e, k->name, "整数", "an integer");
		*p = (int)json_integer_value(v);
		return 0;
	}
}

int segment_settings_apply(json_t *o, struct seg_settings *s, kf_err *e)
{
	const char *name;
	json_t *v;
	json_object_foreach(o, name, v)
	{
		const struct key *k = NULL;
		for (size_t i = 0; i < KF_ARRAY_LEN(keys) && !k; i++)
			if (!strcmp(keys[i].name, name))
				k = &keys[i];
		if (!k)
			return kf_fail(e, KF_EINVAL, name, "未知字段 %s", "Unknown field %s", name);
		if (read_one(v, k, s, e) < 0)
			return KF_EINVAL;
	}
	return seg_settings_check(s, e);
}

json_t *segment_settings_json(const struct seg_settings *s)
{
	json_t *o = json_object();
	struct seg_settings copy = *s;
	for (size_t i = 0; i < KF_ARRAY_LEN(keys); i++) {
		const struct key *k = &keys[i];
		int v = *field(&copy, k);
		json_t *j;
		if (k->kind == K_PCT)
			j = v % 100 ? json_real(v / 100.0) : json_integer(v / 100);
		else if (k->kind == K_BOOL)
			j = json_boolean(v);
		else if (k->kind == K_BY)
			j = json_string(v == SEG_BY_MARGIN ? "margin" : "revenue");
		else if (k->kind == K_TIER)
			j = json_string(seg_tier_code(v));
		else
			j = json_integer(v);
		json_object_set_new(o, k->name, j);
	}
	return o;
}

int segment_settings_load(db *d, struct seg_settings *s)
{
	seg_settings_default(s);
	db_stmt *st;
	if (db_query(d, "SELECT value FROM settings WHERE key = ?", DB_ARGS(DBT(SEGMENT_SETTINGS_KEY)),
		     &st) < 0)
		return DB_EFAIL;
	int rc = db_step(st);
	json_t *doc = rc == DB_ROW ? json_loads(db_col_text(st, 0), 0, NULL) : NULL;
	db_done(st);
	if (rc < 0)
		return rc;
	if (doc) {
		struct seg_settings stored = *s;
		kf_err e;
		kf_err_clear(&e);
		/* Written validated; if a later kefu narrowed a range, say so and
		 * fall back to the defaults rather than refuse to segment. */
		if (json_is_object(doc) && segment_settings_apply(doc, &stored, &e) == 0)
			*s = stored;
		else
			log_error("segment settings: %s; using the defaults", e.en);
		json_decref(doc);
	}
	return 0;
}

static int answer(http_req *r, const struct seg_settings *s)
{
	struct seg_settings dflt;
	seg_settings_default(&dflt);
	int64_t last = segment_last_run_at(r->db);
	return http_json(r, 200,
			 json_pack("{s:o, s:o, s:o}", "settings", segment_settings_json(s), "defaults",
				   segment_settings_json(&dflt), "last_run_at",
				   last ? json_integer(last) : json_null()));
}

int segment_settings_get(http_req *r)
{
	struct seg_settings s;
	if (segment_settings_load(r->db, &s) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return answer(r, &s);
}

int segment_settings_patch(http_req *r)
{
	if (!r->json)
		return http_fail(r, KF_EINVAL, NULL, "请求体为空", "The request body is empty");
	if (db_begin(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	struct seg_settings s, before;
	if (segment_settings_load(r->db, &s) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	before = s;
	kf_err e;
	kf_err_clear(&e);
	if (segment_settings_apply(r->json, &s, &e) < 0) {
		db_rollback(r->db);
		return in_err(r, &e);
	}
	json_t *old = segment_settings_json(&before), *now = segment_settings_json(&s);
	json_t *diff = audit_diff(old, now);
	char *doc = json_dumps(now, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = db_exec(r->db,
			 "INSERT INTO settings (key, value) VALUES (?, ?)"
			 " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			 DB_ARGS(DBT(SEGMENT_SETTINGS_KEY), DBT(doc)));
	free(doc);
	if (rc >= 0 && json_object_size(diff))
		rc = audit_write(r->db, "settings", 0, "segment_settings", r->user.id, diff);
	json_decref(old);
	json_decref(now);
	json_decref(diff);
	if (rc < 0 || db_commit(r->db) < 0)
		return app_db_fail(r, DB_EFAIL, NULL);
	return answer(r, &s);
}
