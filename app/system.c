/* system.c - health, metrics and the landing page. */
#include "app/app.h"

#include <string.h>

#include "kefu_config.h"
#include "lib/common.h"
#include "store/migrate.h"

int system_healthz(http_req *r)
{
	int64_t one = 0;
	int rc = db_query_int(r->db, "SELECT 1", DB_ARGS(), &one);
	int ver = store_schema_version(r->db);
	const char *kind = r->db->kind == DB_PG ? "postgres" : "sqlite";
	if (rc != DB_ROW || ver < 0)
		return http_json(r, 503, json_pack("{s:s, s:s}", "status", "unavailable", "db", kind));
	return http_json(r, 200,
			 json_pack("{s:s, s:s, s:i, s:s, s:s}", "status", "ok", "db", kind, "schema",
				   ver, "version", KEFU_VERSION, "revision", KEFU_GIT_REV));
}

int system_metrics(http_req *r)
{
	buf b;
	buf_init(&b, 1 << 20);
	http_metrics_render(&b);
	http_text(r, 200, "text/plain; version=0.0.4", b.data ? b.data : "", b.len);
	buf_release(&b);
	return 0;
}

/* The web UI when it was built (embedded or --web-dir); otherwise a page
 * that says what is running and where the API is. */
int system_root(http_req *r)
{
	if (http_static_present() && http_static_serve(r) == 0)
		return 0;
	static const char page[] =
		"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		"<title>kefu 客服</title></head><body style=\"font-family:sans-serif;margin:3em\">"
		"<h1>kefu 客服管理系统</h1><p>服务已运行。API 说明：<a href=\"/api/openapi.json\">"
		"/api/openapi.json</a>；健康检查：<a href=\"/healthz\">/healthz</a>。</p>"
		"<p>网页界面未构建（需要 npm：make web）。The web UI was not built (it needs npm: make web).</p>"
		"<p>The service is running. API: <a href=\"/api/openapi.json\">/api/openapi.json</a>"
		"; health: <a href=\"/healthz\">/healthz</a>.</p></body></html>";
	return http_text(r, 200, "text/html; charset=utf-8", page, sizeof(page) - 1);
}
