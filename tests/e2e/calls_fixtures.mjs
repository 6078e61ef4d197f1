// calls_fixtures.mjs - shared set-up for the hotline suites (calls*.test.mjs): the PBX's
// API token, agents with extensions, posting telephony events, and a server-sent events
// client that records what arrives and when.
import assert from 'node:assert/strict';
import { api, assertStatus, bearer, login, createUser, userSession, rand } from './lib.mjs';

/** A supervisor account for the PBX and its API token: {session (bearer), user}. */
export async function pbxToken(srv, admin) {
	const u = await createUser(admin, { role: 'supervisor', display_name: '交换机' });
	const s = await login(srv.url, u.username, u.password);
	const t = assertStatus(await api(s, 'POST', '/api/tokens', { name: 'pbx' }), 201, 'pbx token');
	return { session: bearer(srv.url, t.token), user: u.user, token: t.token };
}

/** An agent with a PBX extension, signed in. */
export async function agentWithExtension(srv, admin, extension, fields = {}) {
	const s = await userSession(srv, admin, { role: 'agent', ...fields });
	assertStatus(await api(admin, 'PUT', `/api/hotline/agents/${s.user.id}`, { extension, agent_no: `A${extension}` }),
		200, `extension ${extension}`);
	s.extension = extension;
	return s;
}

/** Posts one event or a list (as {events}); asserts 200; returns the body. */
export async function post(pbx, events, base = null) {
	const session = base ? { ...pbx, base } : pbx;
	const body = Array.isArray(events) ? { events } : events;
	const r = await api(session, 'POST', '/api/cti/events', body);
	return assertStatus(r, 200, `POST /api/cti/events ${JSON.stringify(body).slice(0, 300)}`);
}

export function callId(prefix = 'c') {
	return `${prefix}-${Date.now()}-${rand(4)}`;
}

/**
 * Opens GET /api/events/stream for a signed-in session (cookie) and parses the event
 * stream. Returns {events, waitFor(pred, ms), close(), lastId}: events are
 * {event, id, data (parsed JSON), at (Date.now() when it arrived)}.
 */
export async function openStream(session, query = '', headers = {}) {
	const ctrl = new AbortController();
	const res = await fetch(`${session.base}/api/events/stream${query}`, {
		headers: { Cookie: session.cookie, Accept: 'text/event-stream', ...headers },
		signal: ctrl.signal,
	});
	assert.equal(res.status, 200, `stream: ${res.status}`);
	assert.match(res.headers.get('content-type') || '', /^text\/event-stream/);
	const s = { events: [], waiters: [], closed: false, lastId: null };
	const reader = res.body.getReader();
	const dec = new TextDecoder();
	let pending = '';
	const check = () => {
		for (const w of [...s.waiters]) {
			const hit = s.events.find((e) => !w.seen.has(e) && w.pred(e));
			if (hit) {
				s.waiters.splice(s.waiters.indexOf(w), 1);
				clearTimeout(w.timer);
				w.resolve(hit);
			}
		}
	};
	(async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done)
					break;
				pending += dec.decode(value, { stream: true });
				let i;
				while ((i = pending.indexOf('\n\n')) >= 0) {
					const block = pending.slice(0, i);
					pending = pending.slice(i + 2);
					const e = { event: 'message', id: null, data: '', at: Date.now(), comment: false };
					const lines = block.split('\n');
					if (lines.every((l) => l.startsWith(':') || l.startsWith('retry:')))
						continue;
					for (const l of lines) {
						if (l.startsWith('event: '))
							e.event = l.slice(7);
						else if (l.startsWith('id: '))
							e.id = l.slice(4);
						else if (l.startsWith('data: '))
							e.data += l.slice(6);
					}
					try { e.data = JSON.parse(e.data); } catch { /* leave as text */ }
					if (e.id)
						s.lastId = e.id;
					s.events.push(e);
				}
				check();
			}
		} catch { /* aborted */ }
		s.closed = true;
	})();
	s.waitFor = (pred, ms = 3000, skipSeen = false) => new Promise((resolve, reject) => {
		const w = { pred, resolve, seen: new Set(skipSeen ? s.events : []) };
		w.timer = setTimeout(() => {
			s.waiters.splice(s.waiters.indexOf(w), 1);
			reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(s.events.map((e) => e.event))}`));
		}, ms);
		s.waiters.push(w);
		check();
	});
	s.close = () => { ctrl.abort(); };
	await s.waitFor((e) => e.event === 'hello', 5000);
	return s;
}
