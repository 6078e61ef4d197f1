// The reference Asterisk adapter (tools/ami-adapter/kefu-ami) against a scripted fake AMI
// server (tests/ami/fake_ami.mjs): queue calls, holds, an abandon and agent states reach
// kefu through the events API, with the screen pop on the agent's stream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startServer, api, adminSession, userSession, BIN } from './lib.mjs';
import { pbxToken, agentWithExtension, openStream } from './calls_fixtures.mjs';
import { startFakeAmi } from '../ami/fake_ami.mjs';

const ADAPTER = process.env.KEFU_AMI_BIN || path.join(path.dirname(BIN), 'tools', 'ami-adapter', 'kefu-ami');

let srv, admin, token, a1, a2, sup;

before(async () => {
	srv = await startServer('calls_ami');
	admin = await adminSession(srv);
	token = (await pbxToken(srv, admin)).token;
	a1 = await agentWithExtension(srv, admin, 'SIP/1001', { display_name: '分机1001' });
	a2 = await agentWithExtension(srv, admin, 'SIP/1002', { display_name: '分机1002' });
	sup = await userSession(srv, admin, { role: 'supervisor' });
});

after(async () => {
	await srv?.stop();
});

/** Starts the adapter; resolves with {child, stderr, stop()} (stop: SIGTERM, exit code). */
function startAdapter(amiPort, extra = []) {
	const child = spawn(ADAPTER, ['--ami', `127.0.0.1:${amiPort}`, '--user', 'kefu',
		'--url', `${srv.url}/api/cti/events`, '--batch-ms', '50', ...extra], {
		env: { ...process.env, KEFU_AMI_SECRET: 'ami-secret', KEFU_TOKEN: token },
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	const p = { child, stderr: '' };
	child.stderr.on('data', (d) => { p.stderr += d; });
	p.exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
	p.stop = async () => {
		child.kill('SIGTERM');
		return p.exited;
	};
	return p;
}

async function waitCall(key, pred, ms = 5000) {
	const deadline = Date.now() + ms;
	let last = null;
	while (Date.now() < deadline) {
		const r = await api(sup, 'GET', '/api/calls?limit=200');
		last = r.json.items.find((c) => c.call_id === key) || null;
		if (last && pred(last))
			return last;
		await new Promise((res) => setTimeout(res, 50));
	}
	throw new Error(`call ${key} not as expected within ${ms} ms: ${JSON.stringify(last)}`);
}

const T = 1717300800; // 2024-06-02 12:00 UTC, AMI Timestamp (seconds)

function script() {
	const c1 = '1717300800.11', c1b = '1717300800.12', c2 = '1717300800.21';
	const ts = (s) => (T + s).toFixed(6);
	return [
		{ Event: 'QueueMemberAdded', Queue: 'support', Interface: 'SIP/1001', MemberName: 'SIP/1001', Timestamp: ts(0) },
		{ Event: 'QueueMemberAdded', Queue: 'support', Interface: 'SIP/1002', MemberName: 'SIP/1002', Timestamp: ts(0) },
		{ Event: 'Newchannel', Channel: 'SIP/trunk-00000001', Uniqueid: c1, Linkedid: c1, CallerIDNum: '13800138000', Timestamp: ts(1) },
		{ Event: 'QueueCallerJoin', Queue: 'support', Channel: 'SIP/trunk-00000001', Uniqueid: c1, Linkedid: c1,
			CallerIDNum: '13800138000', CallerIDName: '<unknown>', Position: '1', Count: '1', Timestamp: ts(2) },
		{ Event: 'AgentCalled', Queue: 'support', Interface: 'SIP/1001', MemberName: 'SIP/1001', DestChannel: 'SIP/1001-00000002',
			Uniqueid: c1, Linkedid: c1, CallerIDNum: '13800138000', Timestamp: ts(10) },
		{ Event: 'AgentConnect', Queue: 'support', Interface: 'SIP/1001', MemberName: 'SIP/1001', HoldTime: '13',
			Uniqueid: c1, Linkedid: c1, DestChannel: 'SIP/1001-00000002', Timestamp: ts(15) },
		{ Event: 'Hold', Channel: 'SIP/1001-00000002', Uniqueid: c1b, Linkedid: c1, Timestamp: ts(40) },
		{ Event: 'Unhold', Channel: 'SIP/1001-00000002', Uniqueid: c1b, Linkedid: c1, Timestamp: ts(60) },
		{ Event: 'AgentComplete', Queue: 'support', Interface: 'SIP/1001', MemberName: 'SIP/1001', TalkTime: '105',
			Reason: 'caller', Uniqueid: c1, Linkedid: c1, Timestamp: ts(120) },
		{ Event: 'Hangup', Channel: 'SIP/1001-00000002', Uniqueid: c1b, Linkedid: c1, Cause: '16', Timestamp: ts(120) },
		{ Event: 'Hangup', Channel: 'SIP/trunk-00000001', Uniqueid: c1, Linkedid: c1, Cause: '16', Timestamp: ts(120) },
		{ Event: 'QueueCallerJoin', Queue: 'support', Uniqueid: c2, Linkedid: c2, CallerIDNum: '13900139000', Position: '1', Timestamp: ts(200) },
		{ Event: 'QueueCallerAbandon', Queue: 'support', Uniqueid: c2, Linkedid: c2, Position: '1', OriginalPosition: '1',
			HoldTime: '45', Timestamp: ts(245) },
		{ Event: 'Hangup', Channel: 'SIP/trunk-00000003', Uniqueid: c2, Linkedid: c2, Timestamp: ts(245) },
		{ Event: 'QueueMemberPause', Queue: 'support', Interface: 'SIP/1002', MemberName: 'SIP/1002', Paused: '1',
			PausedReason: 'lunch', Timestamp: ts(300) },
		{ Event: 'PeerStatus', Peer: 'SIP/1003', PeerStatus: 'Registered' }, // not mapped
	];
}

test('AMI queue events become calls and agent states in kefu', { skip: !existsSync(ADAPTER) && 'adapter not built' }, async () => {
	const ami = await startFakeAmi({ user: 'kefu', secret: 'ami-secret', script: script() });
	const ad = startAdapter(ami.port);
	try {
		await ami.loggedIn;
		const c1 = await waitCall('1717300800.11', (c) => c.state === 'ended');
		assert.equal(c1.queue, 'support');
		assert.equal(c1.caller, '+8613800138000');
		assert.equal(c1.offered_at, (T + 2) * 1000);
		assert.equal(c1.wait_ms, 13_000);
		assert.equal(c1.hold_ms, 20_000);
		assert.equal(c1.talk_ms, 105_000 - 20_000);
		assert.equal(c1.first_agent_id, a1.user.id, 'SIP/1001 is agent a1');
		assert.equal(c1.events, 7, 'offered, ringing, answered, held, resumed, ended twice (AgentComplete, Hangup)');
		const c2 = await waitCall('1717300800.21', (c) => c.state === 'abandoned');
		assert.equal(c2.wait_ms, 45_000);
		const ag = await api(sup, 'GET', '/api/hotline/agents');
		const s2 = ag.json.items.find((x) => x.extension === 'SIP/1002');
		const deadline = Date.now() + 3000;
		let state = s2.state;
		while (state !== 'not_ready' && Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 50));
			state = (await api(sup, 'GET', '/api/hotline/agents')).json.items.find((x) => x.extension === 'SIP/1002').state;
		}
		assert.equal(state, 'not_ready');
	} finally {
		const ex = await ad.stop();
		await ami.close();
		assert.equal(ex.code, 0, `adapter exit: ${JSON.stringify(ex)}\n${ad.stderr}`);
	}
	assert.match(ad.stderr, /connected to AMI/);
});

test('a reconnect replays nothing twice; a wrong secret is reported; AMI to screen pop', { skip: !existsSync(ADAPTER) && 'adapter not built' }, async () => {
	// the same script through a second adapter run: every event is a duplicate
	const before = (await api(sup, 'GET', '/api/calls?limit=200')).json.items.find((c) => c.call_id === '1717300800.11');
	const ami = await startFakeAmi({ user: 'kefu', secret: 'ami-secret', script: script() });
	const ad = startAdapter(ami.port, ['--verbose']);
	try {
		await ami.loggedIn;
		await new Promise((r) => setTimeout(r, 400));
	} finally {
		await ad.stop();
		await ami.close();
	}
	const again = (await api(sup, 'GET', '/api/calls?limit=200')).json.items.find((c) => c.call_id === '1717300800.11');
	// the same AMI messages (with their Timestamp) are the same event ids: nothing new
	assert.equal(again.events, before.events);
	assert.equal(again.version, before.version);
	assert.equal(again.hold_ms, before.hold_ms);

	const bad = await startFakeAmi({ user: 'kefu', secret: 'other', script: [] });
	const ad2 = startAdapter(bad.port);
	await new Promise((r) => setTimeout(r, 500));
	const ex = await ad2.stop();
	await bad.close();
	assert.equal(ex.code, 0);
	assert.match(ad2.stderr, /login refused/);

	// a live call through AMI pops on the agent's stream
	const stream = await openStream(a2);
	const now = Date.now() / 1000;
	const live = await startFakeAmi({
		user: 'kefu', secret: 'ami-secret', script: [
			{ Event: 'QueueCallerJoin', Queue: 'vip', Uniqueid: 'live.1', Linkedid: 'live.1', CallerIDNum: '13700137000', Timestamp: now.toFixed(6) },
			{ Event: 'AgentCalled', Queue: 'vip', Interface: 'SIP/1002', Uniqueid: 'live.1', Linkedid: 'live.1', Timestamp: (now + 1).toFixed(6) },
		],
	});
	const ad3 = startAdapter(live.port);
	try {
		const pop = await stream.waitFor((e) => e.event === 'screen_pop' && e.data.call.call_id === 'live.1', 5000);
		assert.equal(pop.data.call.queue, 'vip');
		assert.equal(pop.data.unknown_caller, true);
	} finally {
		stream.close();
		await ad3.stop();
		await live.close();
	}
});
