/* segment.h - customer value segmentation in the application layer:
 * the rules as stored settings (segment_settings.c), the recompute job
 * (segment_job.c, also run by `kefu segment`), key-account suggestions
 * (segment_keys.c) and a customer's segment (segment_customer.c).  The
 * rules themselves are in core/segment.h. */
#ifndef KF_APP_SEGMENT_H
#define KF_APP_SEGMENT_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "core/segment.h"

/* The settings row's key in the settings table. */
#define SEGMENT_SETTINGS_KEY "segment"

/* Reads the settings (defaults for what was never set).  Returns 0, or
 * < 0 on a database error. */
int segment_settings_load(db *d, struct seg_settings *s);
/* Applies the keys of o (PATCH /api/segment-settings) over s; fails on an
 * unknown key or a bad value, naming it.  The ranges are core's to check,
 * on the result.  No database. */
int segment_settings_apply(json_t *o, struct seg_settings *s, kf_err *e);
/* The settings as the API shows them. */
json_t *segment_settings_json(const struct seg_settings *s);

/* What one recompute did. */
struct segment_run {
	int64_t id;
	int64_t started_at, finished_at;
	int64_t customers;	   /* live (not archived) customers segmented */
	int64_t buyers;		   /* of them, with at least one order */
	int64_t tier_changes;	   /* rows added to tier_history */
	int64_t lifecycle_changes; /* lifecycles the recompute rewrote */
	int64_t key_suggestions;   /* customers the key-account rules suggest */
	int64_t tiers[SEG_NTIERS]; /* customers per tier after the run */
	int64_t read_ms, compute_ms, write_ms; /* where the time went */
};

/* Recomputes every live customer's tier, RFM scores, lifecycle suggestion
 * and key-account suggestion from the orders, writes what changed (in
 * batched transactions, tier changes into tier_history) and records the
 * run in segment_runs.  d must not be inside a transaction.  actor_id 0
 * for none (the CLI).  Returns 0; KF_ECONFLICT when another recompute is
 * running; KF_EDB (e filled) when the database fails. */
int segment_recompute(db *d, int64_t actor_id, const char *source, int64_t now_ms,
		      struct segment_run *out, kf_err *e);
json_t *segment_run_json(const struct segment_run *run);

/* The daily recompute, for the jobs thread (jobs/scheduler.c, under its
 * lease): recomputes when auto_recompute is on and no run has started
 * since the last recompute_hour:00 (China time), else does nothing.
 * Writes one line about it into summary.  Returns 1 if it recomputed,
 * 0 if nothing was due, -1 on failure. */
int segment_job_run(db *d, int64_t now, char *summary, size_t len);

/* The finished_at of the latest finished recompute, or 0 if none. */
int64_t segment_last_run_at(db *d);
/* The report figures the latest finished recompute pre-aggregated (see
 * summary_json in segment_job.c for the shape), with *finished_at; NULL
 * (and *finished_at 0) when there is none.  The caller owns the result. */
json_t *segment_last_summary(db *d, int64_t *finished_at);
/* A Pareto curve as the API shows it: customers, total_fen,
 * top20_customers, top20_fen, top20_share, customers_80,
 * customers_80_share, points [{customers, value_fen, x, y}]. */
json_t *segment_pareto_json(const struct seg_pareto *p);
/* The tier migration between two instants as the API shows it (a Sankey:
 * from, to, customers, up, down, same, new, nodes, links), replayed from
 * tier_history (reports_migration.c); NULL on a database error. */
json_t *segment_migration_json(db *d, int64_t from, int64_t to);

#endif
