/* routes.c - every route of the API in one table: method, path, handler,
 * the least role allowed, and the summary the OpenAPI document shows. */
#include "app/app.h"

#include "lib/common.h"

const struct route app_routes[] = {
	{"GET", "/", system_root, ROLE_ANON, "Landing page"},
	{"GET", "/healthz", system_healthz, ROLE_ANON, "Liveness and database check"},
	{"GET", "/metrics", system_metrics, ROLE_ANON, "Prometheus metrics"},
	{"GET", "/api/openapi.json", openapi_get, ROLE_ANON, "This API description"},

	{"POST", "/api/session", session_create, ROLE_ANON, "Sign in"},
	{"DELETE", "/api/session", session_delete, ROLE_AGENT, "Sign out"},
	{"GET", "/api/me", me_get, ROLE_AGENT, "The signed-in user"},
	{"PATCH", "/api/me", me_patch, ROLE_AGENT, "Change own language, name or password"},
	{"GET", "/api/tokens", tokens_list, ROLE_AGENT, "List own API tokens"},
	{"POST", "/api/tokens", tokens_create, ROLE_AGENT, "Create an API token"},
	{"DELETE", "/api/tokens/{id}", tokens_delete, ROLE_AGENT, "Revoke an API token"},

	{"GET", "/api/users", users_list, ROLE_SUPERVISOR, "List users with their load"},
	{"POST", "/api/users", users_create, ROLE_ADMIN, "Create a user"},
	{"GET", "/api/users/{id}", users_get, ROLE_SUPERVISOR, "Get a user"},
	{"PATCH", "/api/users/{id}", users_patch, ROLE_ADMIN, "Change a user"},
	{"GET", "/api/departments", departments_list, ROLE_AGENT, "List departments"},
	{"POST", "/api/departments", departments_create, ROLE_ADMIN, "Create a department"},

	{"GET", "/api/customers", customers_list, ROLE_AGENT, "Search and filter customers"},
	{"POST", "/api/customers", customers_create, ROLE_AGENT, "Create a customer"},
	{"POST", "/api/customers/assign", customers_assign, ROLE_SUPERVISOR,
	 "Assign owners in bulk, balanced by load and capability"},
	{"GET", "/api/customers/{id}", customers_get, ROLE_AGENT, "Get a customer file"},
	{"PATCH", "/api/customers/{id}", customers_patch, ROLE_AGENT, "Change a customer file"},
	{"DELETE", "/api/customers/{id}", customers_archive, ROLE_AGENT, "Archive a customer"},
	{"GET", "/api/customers/{id}/orders", customer_orders_list, ROLE_AGENT,
	 "List a customer's orders"},
	{"POST", "/api/customers/{id}/orders", customer_orders_create, ROLE_AGENT,
	 "Record an order"},
	{"GET", "/api/customers/{id}/audit", customer_audit_list, ROLE_AGENT,
	 "A customer's change history"},
	{0, 0, 0, 0, 0},
};
