/* audit.c - the audit log: who changed what, when, kept per entity. */
#include "app/app.h"

#include <stdlib.h>

#include "lib/common.h"
#include "lib/util.h"

int audit_write(db *d, const char *entity, int64_t entity_id, const char *action,
		int64_t actor_id, json_t *changes)
{
	char *s = changes ? json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc = db_exec(d,
			 "INSERT INTO audit_log (entity, entity_id, action, actor_id, changes, at)"
			 " VALUES (?, ?, ?, ?, ?, ?)",
			 DB_ARGS(DBT(entity), DBI(entity_id), DBT(action),
				 actor_id ? DBI(actor_id) : DBNULL, DBT(s ? s : "{}"),
				 DBI(util_now_ms())));
	free(s);
	return rc < 0 ? rc : 0;
}

json_t *audit_diff(json_t *before, json_t *after)
{
	json_t *d = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(after, k, v)
	{
		json_t *old = before ? json_object_get(before, k) : NULL;
		if (old && json_equal(old, v))
			continue;
		json_object_set_new(d, k, json_pack("[OO]", old ? old : json_null(), v));
	}
	return d;
}
