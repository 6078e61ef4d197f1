// cases_fixtures.mjs - shared set-up for the case suites (cases*.test.mjs): departments,
// staff, cases, workflow steps, and calendars that make due times predictable.
import assert from 'node:assert/strict';
import { api, assertStatus, userSession, rand } from './lib.mjs';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
/** Asia/Shanghai is UTC+8 all year (no DST). */
export const SH = 8 * HOUR;

/** The local (Asia/Shanghai) date of a UTC time, YYYY-MM-DD. */
export function localDate(ms) {
	return new Date(ms + SH).toISOString().slice(0, 10);
}

/** UTC ms of a local Asia/Shanghai wall-clock time. */
export function shanghai(y, mo, d, h = 0, mi = 0) {
	return Date.UTC(y, mo - 1, d, h, mi) - SH;
}

export async function department(admin, name) {
	const r = await api(admin, 'POST', '/api/departments', { name: `${name}${rand(2)}` });
	return assertStatus(r, 201, `department ${name}`).id;
}

/** A signed-in user with this role, department and capability. */
export async function staff(srv, admin, fields) {
	return userSession(srv, admin, { role: 'agent', capability: 3, ...fields });
}

export async function createCase(session, body, status = 201) {
	const r = await api(session, 'POST', '/api/cases', body);
	return assertStatus(r, status, `create case ${JSON.stringify(body).slice(0, 200)}`);
}

export async function getCase(session, id) {
	return assertStatus(await api(session, 'GET', `/api/cases/${id}`), 200, `GET case ${id}`);
}

export async function step(session, id, action, fields = {}) {
	return api(session, 'POST', `/api/cases/${id}/transitions`, { action, ...fields });
}

/** Takes a step that must succeed; returns the case. */
export async function ok(session, id, action, fields = {}) {
	return assertStatus(await step(session, id, action, fields), 200, `${action} on case ${id}`);
}

/** Business hours around the clock, no dated days: due = start + target, to the minute. */
export async function roundTheClock(admin) {
	const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, intervals: [{ start: '00:00', end: '24:00' }] }));
	assertStatus(await api(admin, 'PUT', '/api/calendar', { hours, days: [] }), 200, 'round-the-clock calendar');
}

/** The minute a time falls in (business arithmetic counts whole minutes). */
export function floorMinute(ms) {
	return Math.floor(ms / MIN) * MIN;
}

export function phone() {
	const n = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
	return `137${n}`;
}

export function assertAllowed(res, status, allowed) {
	assert.equal(res.status, status, `expected ${status}: ${res.status} ${res.text.slice(0, 400)}`);
	assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/);
	assert.ok(Array.isArray(res.json.allowed), `allowed missing: ${res.text}`);
	if (allowed)
		assert.deepEqual([...res.json.allowed].sort(), [...allowed].sort(), res.text);
	return res.json;
}
