// /api/openapi.json against the routes table itself (app/routes.c, read as source): every
// route is documented with its path parameters and responses, the schemas of the registry
// (app/openapi_schemas.c) all parse, and the file-taking routes say what they take.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, api, adminSession, assertStatus } from './lib.mjs';

let srv, admin, doc;

before(async () => {
	srv = await startServer('openapi');
	admin = await adminSession(srv);
	doc = assertStatus(await api(admin, 'GET', '/api/openapi.json'), 200);
});

after(async () => {
	await srv?.stop();
});

function routesTable() {
	const src = readFileSync(new URL('../../app/routes.c', import.meta.url), 'utf8');
	const table = src.slice(src.indexOf('app_routes[] = {'), src.indexOf('{0, 0, 0, 0, 0}'));
	return [...table.matchAll(/\{"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"/g)].map((m) => [m[1].toLowerCase(), m[2]]);
}

test('every route of the routes table is in the document, with its path parameters', () => {
	const routes = routesTable();
	assert.ok(routes.length > 50, `read ${routes.length} routes`);
	const missing = routes.filter(([m, p]) => !doc.paths[p]?.[m]).map(([m, p]) => `${m} ${p}`);
	assert.deepEqual(missing, []);
	let ops = 0;
	for (const [p, item] of Object.entries(doc.paths)) {
		for (const [m, op] of Object.entries(item)) {
			ops++;
			assert.ok(routes.some(([rm, rp]) => rm === m && rp === p), `${m} ${p} is not a route`);
			const names = [...p.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
			const declared = op.parameters.filter((x) => x.in === 'path').map((x) => x.name);
			assert.deepEqual(declared, names, `${m} ${p} path parameters`);
			assert.ok(op.summary && op.responses, `${m} ${p} summary and responses`);
			assert.equal(op['x-kefu-schema-error'], undefined, `${m} ${p}: ${op['x-kefu-schema-error']}`);
		}
	}
	assert.equal(ops, routes.length, 'one operation per route');
});

test('the data-in-and-out routes describe their bodies and answers', () => {
	const up = doc.paths['/api/imports'].post;
	assert.ok(up.requestBody.content['application/octet-stream'], 'an upload takes the file as the body');
	assert.deepEqual(up.parameters.map((x) => x.name), ['kind', 'filename', 'duplicates']);
	assert.ok(up.responses['201'].content['application/json'].schema.properties.suggested_mapping);
	const job = doc.paths['/api/imports/{id}'].get.responses['200'].content['application/json'].schema;
	assert.deepEqual(job.properties.status.enum, ['parsing', 'uploaded', 'checking', 'checked', 'importing', 'done', 'failed', 'cancelled']);
	assert.ok(doc.paths['/api/imports/{id}/check'].post.requestBody.content['application/json'].schema.properties.mapping);
	assert.ok(doc.paths['/api/exports/customers'].get.responses['200'].content['text/vcard']);
	assert.ok(doc.paths['/api/mail/inbound'].post.requestBody.content['message/rfc822']);
	assert.ok(doc.paths['/api/webhooks'].post.requestBody.content['application/json'].schema.properties.kind.enum.includes('dingtalk'));
	assert.ok(doc.paths['/api/mail/messages/{id}/reply'].post.responses['202']);
});
