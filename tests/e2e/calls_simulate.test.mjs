// `kefu simulate`: a simulated day posted through the events API shows in the interval
// report and on the wallboard's "today" when it is today; posting it again changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { startServer, api, adminSession, assertStatus, BIN } from './lib.mjs';
import { pbxToken } from './calls_fixtures.mjs';

let srv, admin, pbx;

before(async () => {
	srv = await startServer('calls_simulate');
	admin = await adminSession(srv);
	pbx = await pbxToken(srv, admin);
});

after(async () => {
	await srv?.stop();
});

function simulate(args) {
	return new Promise((resolve, reject) => {
		execFile(BIN, ['simulate', '--url', srv.url, ...args], {
			env: { ...process.env, KEFU_TOKEN: pbx.token }, timeout: 120_000,
		}, (err, stdout, stderr) => {
			if (err)
				reject(new Error(`kefu simulate: ${err.message}\n${stderr}`));
			else
				resolve(JSON.parse(stdout.trim().split('\n').pop()));
		});
	});
}

test('a simulated day reaches the interval report; the same day again is all duplicates', async () => {
	const day = '2025-03-03';
	const out = await simulate(['--date', day, '--calls', '400', '--seed', '5', '--queue', '模拟']);
	assert.ok(out.calls > 300 && out.calls < 500, `calls ${out.calls}`);
	assert.equal(out.accepted, out.events, 'every event stored');
	assert.ok(out.measured_sl >= 0 && out.measured_sl <= 1, `measured SL ${out.measured_sl}`);
	assert.ok(out.erlang_c_sl > 0.8, `Erlang C predicts ${out.erlang_c_sl} for its own staffing`);
	const m = assertStatus(await api(pbx.session, 'GET', `/api/hotline/metrics?from=${day}&group=interval&queue=模拟`), 200);
	assert.equal(m.total.offered, out.calls);
	assert.equal(m.total.answered, out.answered);
	assert.equal(m.total.abandoned, out.abandoned);
	assert.equal(m.total.service_level, out.measured_sl);
	const busiest = m.rows.reduce((a, r) => (r.offered > a.offered ? r : a), m.rows[0]);
	assert.ok(busiest.interval >= '08:00' && busiest.interval < '18:00', `peak at ${busiest.interval}`);
	assert.ok(m.total.occupancy > 0 && m.total.occupancy <= 1, `occupancy ${m.total.occupancy} from the agents' sign-ins`);
	const again = await simulate(['--date', day, '--calls', '400', '--seed', '5', '--queue', '模拟']);
	assert.equal(again.accepted, 0, 'the same events are duplicates');
	// today: the wallboard's "today" counts it
	const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	const t = await simulate(['--date', today, '--calls', '200', '--seed', '9', '--queue', '今日']);
	const wb = assertStatus(await api(pbx.session, 'GET', '/api/hotline/wallboard'), 200);
	const offeredSoFar = t.calls; // events later than now are stored too: the whole day counts
	assert.equal(wb.today.offered, offeredSoFar);
});
