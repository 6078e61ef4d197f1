// Export: customers to CSV (UTF-8 with BOM) and .xlsx with the list's filters, an .xlsx
// export imported back unchanged, customers and contacts as vCard 4.0 (escaping, folding,
// tel: URIs, masking), cases to CSV and .xlsx.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, assertProblem, assertStatus,
	newPhone, rand,
} from './lib.mjs';
import { readXlsx, parseCsv } from './files.mjs';

let srv, admin, supervisor, agent;
const tag = `导出${rand(2)}`;
const made = [];

before(async () => {
	srv = await startServer('export');
	admin = await adminSession(srv);
	supervisor = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent' });
	for (let i = 0; i < 3; i++) {
		const p = newPhone();
		made.push(await createCustomer(admin, {
			name: i === 0 ? '杭州明远贸易有限公司, 总部; 测试' : `导出客户${i}`,
			kind: i === 0 ? 'organization' : 'person', lifecycle: 'loyal', phone: p.local,
			tags: [tag, '华东'], company: '明远', address: '杭州市西湖区文三路 100 号',
			birthday: i === 1 ? '1985-07-09' : '03-08', notes: '=1+1 不是公式',
			contacts: i === 0 ? [{ name: '陈经理', role: '采购经理', phone: '+8613900001111', email: 'chen@example.cn' },
				{ name: '刘会计', role: '财务', phone: '+8613700002222' }] : [],
		}));
	}
});

after(async () => {
	await srv?.stop();
});

async function download(session, path) {
	const headers = {};
	if (session.cookie)
		headers.Cookie = session.cookie;
	const res = await fetch(srv.url + path, { headers });
	return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

test('customers to CSV: BOM, Chinese headers and labels, the list filters apply', async () => {
	const r = await download(supervisor, `/api/exports/customers?format=csv&tag=${encodeURIComponent(tag)}`);
	assert.equal(r.status, 200, r.body.toString());
	assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
	assert.match(r.headers.get('content-disposition'), /attachment; filename="customers-\d{8}\.csv"/);
	assert.deepEqual([...r.body.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	const rows = parseCsv(r.body.toString('utf8'));
	assert.equal(rows[0][1], '客户名称');
	assert.equal(rows.length, 4, 'header + the three tagged customers');
	const first = rows.find((x) => x[0] === String(made[0].id));
	assert.equal(first[1], '杭州明远贸易有限公司, 总部; 测试');
	assert.equal(first[2], made[0].phone);
	assert.equal(first[3], '组织');
	assert.equal(first[5], '忠诚');
	assert.equal(first[15], `${tag}、华东`);
	assert.equal(first[17], "'=1+1 不是公式", 'formula-looking cells are defused');
	const en = await fetch(`${srv.url}/api/exports/customers?format=csv&tag=${encodeURIComponent(tag)}`,
		{ headers: { Cookie: supervisor.cookie, 'Accept-Language': 'en' } });
	assert.equal(parseCsv(await en.text())[0][1], 'Name');
});

test('customers to .xlsx, imported back: every row found as a duplicate', async () => {
	const r = await download(supervisor, `/api/exports/customers?format=xlsx&tag=${encodeURIComponent(tag)}`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /spreadsheetml/);
	const rows = readXlsx(r.body);
	assert.equal(rows.length, 4);
	assert.equal(rows[0][0], '编号');
	const up = await api(supervisor, 'POST', '/api/imports?kind=customers&filename=back.xlsx', r.body,
		{ headers: { 'Content-Type': XLSX } });
	assertStatus(up, 201, 'import the export');
	assert.equal(up.json.rows, 3);
	assert.deepEqual(up.json.suggested_mapping.slice(1, 6), ['name', 'phone', 'kind', 'source', 'lifecycle']);
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, {});
	let j;
	for (let i = 0; i < 200; i++) {
		j = (await api(supervisor, 'GET', `/api/imports/${up.json.id}`)).json;
		if (j.status !== 'checking')
			break;
		await new Promise((res) => setTimeout(res, 30));
	}
	assert.equal(j.status, 'checked');
	assert.equal(j.summary.bad, 0);
	assert.equal(j.summary.duplicates_existing, 3);
});
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test('a customer and its contacts as vCard 4.0', async () => {
	const r = await download(agent, `/api/customers/${made[0].id}/vcard`);
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /^text\/vcard; charset=utf-8/);
	const text = r.body.toString('utf8');
	assert.ok(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'folded at 75 octets');
	const unfolded = text.replace(/\r\n[ \t]/g, '');
	const cards = unfolded.split('END:VCARD\r\n').filter(Boolean);
	assert.equal(cards.length, 3, 'the customer and two contacts');
	assert.match(cards[0], /^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
	assert.match(cards[0], /\r\nKIND:org\r\n/);
	assert.match(cards[0], /\r\nFN:杭州明远贸易有限公司\\, 总部\\; 测试\r\n/);
	// An agent who does not own the customer gets no phone numbers.
	assert.doesNotMatch(unfolded, /TEL/);
	const full = (await download(admin, `/api/customers/${made[0].id}/vcard`)).body.toString('utf8').replace(/\r\n[ \t]/g, '');
	assert.match(full, new RegExp(`TEL;VALUE=uri;TYPE="voice,cell":tel:\\${made[0].phone}\\r\\n`));
	assert.match(full, /FN:陈经理\r\n[\s\S]*ROLE:采购经理\r\n[\s\S]*TEL;VALUE=uri;TYPE="voice,cell":tel:\+8613900001111\r\n/);
	assert.match(full, /RELATED;TYPE=colleague:urn:kefu:customer:\d+\r\n/);
	assert.match(full, /CATEGORIES:导出\w+,华东\r\n/);
	const b = (await download(admin, `/api/customers/${made[1].id}/vcard`)).body.toString('utf8');
	assert.match(b, /BDAY:19850709\r\n/);
	assert.match(b, /ADR:;;杭州市西湖区文三路 100 号;;;;\r\n/);
	const all = await download(supervisor, `/api/exports/customers?format=vcf&tag=${encodeURIComponent(tag)}`);
	assert.equal((all.body.toString('utf8').match(/BEGIN:VCARD/g) || []).length, 5);
	assert.equal((await download(admin, '/api/customers/999999/vcard')).status, 404);
});

test('cases to CSV and .xlsx; who may export; bad formats', async () => {
	const c = await api(admin, 'POST', '/api/cases', { type: 'complaint', channel: 'phone', subject: '导出测试：空调不制冷', customer_id: made[1].id });
	assertStatus(c, 201, 'case');
	const csv = await download(supervisor, '/api/exports/cases?format=csv&type=complaint');
	assert.equal(csv.status, 200);
	const rows = parseCsv(csv.body.toString('utf8'));
	assert.equal(rows[0][0], '工单号');
	assert.ok(rows.some((x) => x[0] === c.json.number && x[5] === '导出测试：空调不制冷' && x[6] === made[1].name));
	const x = await download(supervisor, '/api/exports/cases?format=xlsx');
	assert.ok(readXlsx(x.body).some((row) => row[0] === c.json.number));
	assertProblem(await api(agent, 'GET', '/api/exports/customers'), 403, 'forbidden');
	assertProblem(await api(supervisor, 'GET', '/api/exports/customers?format=pdf'), 422, 'invalid', 'format');
	assertProblem(await api(supervisor, 'GET', '/api/exports/cases?format=vcf'), 422, 'invalid', 'format');
	assertProblem(await api(supervisor, 'GET', '/api/exports/customers?lifecycle=bogus'), 422, 'invalid', 'lifecycle');
});

test('follow-up visits and survey answers to CSV and .xlsx, with their filters', async () => {
	const due = Date.now() + 3 * 86400_000;
	const f = assertStatus(await api(agent, 'POST', '/api/followups', { customer_id: made[2].id, due_at: due, title: `导出回访${tag}` }), 201);
	const csv = await download(supervisor, '/api/exports/followups?format=csv&state=open');
	assert.equal(csv.status, 200, csv.body.toString());
	assert.match(csv.headers.get('content-disposition'), /filename="followups-\d{8}\.csv"/);
	const rows = parseCsv(csv.body.toString('utf8'));
	assert.equal(rows[0][0], '编号');
	const row = rows.find((x) => x[0] === String(f.id));
	assert.ok(row, 'the visit is exported');
	assert.equal(row[2], `导出回访${tag}`);
	assert.equal(row[3], made[2].name);
	// Closed ones only: the open visit is not there; mine: the supervisor has none.
	assert.ok(!parseCsv((await download(supervisor, '/api/exports/followups?format=csv&state=done')).body.toString('utf8')).some((x) => x[0] === String(f.id)));
	assert.equal(parseCsv((await download(supervisor, '/api/exports/followups?format=csv&assignee=me')).body.toString('utf8')).length, 1, 'header only');
	const x = await download(supervisor, `/api/exports/followups?format=xlsx&assignee=${agent.user.id}`);
	assert.ok(readXlsx(x.body).some((r) => r[0] === f.id || r[0] === String(f.id)));
	assertProblem(await api(supervisor, 'GET', '/api/exports/followups?state=maybe'), 422, 'invalid', 'state');

	// A survey answered through its link, then exported.
	const inv = assertStatus(await api(admin, 'POST', '/api/survey-invitations', { customer_id: made[2].id }), 201);
	const token = inv.url.split('/').pop();
	assertStatus(await api({ base: srv.url }, 'POST', `/api/portal/surveys/${token}`, { answers: { csat: 5, nps: 9, comment: `很满意${tag}` } }), 201);
	const s = await download(supervisor, '/api/exports/survey-responses?format=csv');
	assert.equal(s.status, 200, s.body.toString());
	const sr = parseCsv(s.body.toString('utf8'));
	const ans = sr.find((r) => r[7] === `很满意${tag}`);
	assert.ok(ans, 'the answer is exported');
	assert.equal(ans[2], made[2].name);
	assert.equal(ans[4], '5');
	assert.equal(ans[5], '9');
	assert.ok(!parseCsv((await download(supervisor, '/api/exports/survey-responses?format=csv&low=1')).body.toString('utf8')).some((r) => r[7] === `很满意${tag}`), 'not a low score');
	assertProblem(await api(agent, 'GET', '/api/exports/survey-responses'), 403, 'forbidden');
});
