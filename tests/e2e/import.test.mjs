// Import of customers and orders: a GBK CSV as Chinese Excel writes it with 10,000 customers
// and 37 broken rows (the dry run lists exactly those, the import brings the rest), UTF-8
// with BOM, .xlsx, duplicates merged or skipped, orders, cancelling (nothing half-written),
// and the errors of the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
	startServer, api, adminSession, userSession, createCustomer, assertProblem, assertStatus,
	newPhone, listAll, rand,
} from './lib.mjs';
import { gbk, utf8Bom, csv, xlsx } from './files.mjs';

let srv, admin, supervisor, agent;

before(async () => {
	// Slows every batch of 1000 rows a little, so that a cancel lands mid-import.
	process.env.KEFU_IMPORT_BATCH_DELAY_MS = '150';
	srv = await startServer('import');
	delete process.env.KEFU_IMPORT_BATCH_DELAY_MS;
	admin = await adminSession(srv);
	supervisor = await userSession(srv, admin, { role: 'supervisor' });
	agent = await userSession(srv, admin, { role: 'agent' });
});

after(async () => {
	await srv?.stop();
});

function upload(session, body, query) {
	return api(session, 'POST', `/api/imports?${query}`, body, {
		headers: { 'Content-Type': 'application/octet-stream' },
	});
}

async function waitFor(session, id, statuses, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await api(session, 'GET', `/api/imports/${id}`);
		assertStatus(r, 200, 'poll import');
		if (statuses.includes(r.json.status))
			return r.json;
		assert.ok(Date.now() < deadline, `import ${id} still ${r.json.status}`);
		await new Promise((res) => setTimeout(res, 50));
	}
}

async function allProblems(session, id) {
	const items = [];
	let cursor = null;
	do {
		const r = await api(session, 'GET', `/api/imports/${id}/problems?limit=1000${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
		assertStatus(r, 200, 'problems');
		items.push(...r.json.items);
		cursor = r.json.next_cursor;
	} while (cursor);
	return items;
}

/** Customers with a tag (an exact, indexed filter; the text search ranks and caps). */
async function tagged(tag) {
	return listAll(admin, `/api/customers?tag=${encodeURIComponent(tag)}`);
}

async function countCustomers(tag) {
	return (await tagged(tag)).length;
}

const runTag = (name) => `${name}${rand(2)}`;

/** 10,000 customers under a unique prefix; 37 rows broken in four ways. */
function excelCustomers(prefix, base, tag) {
	const rows = [['客户名称', '手机号码', '客户类型', '生命周期', '生日', '标签', '备注', '无关列']];
	const broken = new Map();
	const step = Math.floor(10000 / 37);
	for (let i = 0; i < 10000; i++) {
		const digits = String(base + i).padStart(8, '0');
		let name = `${prefix}${i}`, phone = `139 ${digits.slice(0, 4)} ${digits.slice(4)}`;
		let kind = i % 2 ? '个人' : '企业', life = '忠诚', birthday = '1990/3/5';
		if (i % step === 0 && broken.size < 37) {
			const line = i + 2; // the header is line 1
			switch (broken.size % 4) {
			case 0: phone = '12345'; broken.set(line, ['手机号码', '电话号码']); break;
			case 1: kind = '外星人'; broken.set(line, ['客户类型', '客户类型']); break;
			case 2: birthday = '1990-13-40'; broken.set(line, ['生日', '日期']); break;
			default: name = ''; broken.set(line, ['客户名称', '客户名称']); break;
			}
		}
		rows.push([name, phone, kind, life, birthday, `老客户、${tag}`, `第${i}位，备注含逗号,引号"`, 'x']);
	}
	return { text: csv(rows), broken };
}

test('a GBK CSV from Excel: 37 broken rows listed exactly by the dry run, the rest imported', async () => {
	const tag = runTag('导入甲');
	const { text, broken } = excelCustomers('导入甲', 10000000, tag);
	const up = await upload(supervisor, gbk(text), 'kind=customers&filename=' + encodeURIComponent('客户名单.csv'));
	assertStatus(up, 201, 'upload');
	const job = up.json;
	assert.equal(job.encoding, 'gb18030');
	assert.equal(job.status, 'uploaded');
	assert.equal(job.rows, 10000);
	assert.equal(job.filename, '客户名单.csv');
	assert.deepEqual(job.headers, ['客户名称', '手机号码', '客户类型', '生命周期', '生日', '标签', '备注', '无关列']);
	assert.deepEqual(job.suggested_mapping, ['name', 'phone', 'kind', 'lifecycle', 'birthday', 'tags', 'notes', null]);
	assert.equal(job.sample.length, 5);
	assert.equal(job.sample[0][0], '导入甲0');

	const ck = await api(supervisor, 'POST', `/api/imports/${job.id}/check`, { mapping: job.suggested_mapping });
	assertStatus(ck, 202, 'check');
	const checked = await waitFor(supervisor, job.id, ['checked', 'failed']);
	assert.equal(checked.status, 'checked', JSON.stringify(checked.error));
	assert.equal(checked.summary.bad, 37);
	assert.equal(checked.summary.ok, 10000 - 37);
	assert.equal(await countCustomers(tag), 0, 'the dry run wrote no customer');

	const problems = await allProblems(supervisor, job.id);
	assert.equal(problems.length, 37);
	assert.deepEqual(problems.map((p) => p.line).sort((a, b) => a - b), [...broken.keys()].sort((a, b) => a - b));
	for (const p of problems) {
		const [column, word] = broken.get(p.line);
		assert.equal(p.column_name, column, `line ${p.line}`);
		assert.ok(p.message_zh.includes(word) || p.message_zh.includes('日期') || p.message_zh.includes('缺少'), p.message_zh);
		assert.ok(p.message_en.length > 5 && !/[\u4e00-\u9fff]{4}/.test(p.message_en.replace(/[（(].*?[)）]|'.*?'|".*?"|one of: .*$/g, '')), p.message_en);
	}

	const cm = await api(supervisor, 'POST', `/api/imports/${job.id}/commit`, {});
	assertStatus(cm, 202, 'commit');
	const done = await waitFor(supervisor, job.id, ['done', 'failed']);
	assert.equal(done.status, 'done', JSON.stringify(done.error));
	assert.deepEqual(done.result, { inserted: 9963, merged: 0, skipped: 0 });
	const all = await tagged(tag);
	assert.equal(all.length, 9963);

	// The file's values arrive normalised, as POST /api/customers would store them.
	const c = all.find((x) => x.name === '导入甲1');
	const full = await api(admin, 'GET', `/api/customers/${c.id}`);
	assert.equal(full.json.phone, '+8613910000001');
	assert.equal(full.json.kind, 'person');
	assert.equal(full.json.lifecycle, 'loyal');
	assert.equal(full.json.birthday, '1990-03-05');
	assert.deepEqual(full.json.tags, ['老客户', tag]);
	assert.equal(full.json.notes, '第1位，备注含逗号,引号"');
	const audit = await api(admin, 'GET', `/api/customers/${c.id}/audit`);
	assert.ok(audit.json.items.some((a) => a.action === 'import'), 'audited as an import');

	// A committed job cannot be committed again.
	assertProblem(await api(supervisor, 'POST', `/api/imports/${job.id}/commit`, {}), 409, 'conflict');
});

test('cancelling an import mid-commit writes nothing', async () => {
	const tag = runTag('取消测试');
	const rows = [['姓名', '电话', '标签']];
	for (let i = 0; i < 5000; i++)
		rows.push([`取消测试${i}`, `137${String(20000000 + i).padStart(8, '0')}`, tag]);
	const up = await upload(supervisor, utf8Bom(csv(rows)), 'kind=customers&filename=c.csv');
	assertStatus(up, 201, 'upload');
	assert.equal(up.json.encoding, 'utf-8-bom');
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, {});
	await waitFor(supervisor, up.json.id, ['checked']);
	assertStatus(await api(supervisor, 'POST', `/api/imports/${up.json.id}/commit`, {}), 202);
	// Let it write a few batches inside its transaction, then cancel.
	for (let i = 0; i < 100; i++) {
		const j = (await api(supervisor, 'GET', `/api/imports/${up.json.id}`)).json;
		if (j.progress.done >= 2000)
			break;
		await new Promise((res) => setTimeout(res, 20));
	}
	assertStatus(await api(supervisor, 'POST', `/api/imports/${up.json.id}/cancel`), 200);
	const end = await waitFor(supervisor, up.json.id, ['cancelled', 'done', 'failed']);
	assert.equal(end.status, 'cancelled');
	assert.equal(await countCustomers(tag), 0, 'nothing half-written');
});

test('duplicates by phone: skipped or merged; .xlsx files; UTF-8 with BOM', async () => {
	const p = newPhone();
	const existing = await createCustomer(admin, { name: '老客户王', phone: p.local, company: '旧公司', tags: ['原有'] });
	const p2 = newPhone(), p3 = newPhone(), tag = runTag('赵');
	const file = (company) => xlsx([
		['Name', 'Mobile', 'Company', 'Tags', '生日'],
		['王老板', p.digits, company, '新标签', 33000],
		['新客户赵', { inline: p2.digits }, '赵氏', tag, '5月20日'],
		['新客户赵二', p3.e164, '赵氏', tag, null],
	]);
	// skip
	let up = await upload(supervisor, file('新公司'), 'kind=customers&duplicates=skip&filename=a.xlsx');
	assertStatus(up, 201, 'xlsx upload');
	assert.equal(up.json.encoding, 'xlsx');
	assert.deepEqual(up.json.suggested_mapping, ['name', 'phone', 'company', 'tags', 'birthday']);
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, {});
	let j = await waitFor(supervisor, up.json.id, ['checked', 'failed']);
	assert.equal(j.summary.bad, 0, JSON.stringify(await allProblems(supervisor, up.json.id)));
	assert.equal(j.summary.duplicates_existing, 1);
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/commit`, {});
	j = await waitFor(supervisor, up.json.id, ['done', 'failed']);
	assert.deepEqual(j.result, { inserted: 2, merged: 0, skipped: 1 });
	let c = (await api(admin, 'GET', `/api/customers/${existing.id}`)).json;
	assert.equal(c.company, '旧公司');
	const zhao = (await tagged(tag)).find((x) => x.name === '新客户赵');
	assert.equal((await api(admin, 'GET', `/api/customers/${zhao.id}`)).json.birthday, '05-20');
	// merge (the duplicates choice may also be given at commit)
	up = await upload(supervisor, file('新公司'), 'kind=customers&filename=b.xlsx');
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, { mapping: ['name', 'phone', 'company', 'tags', null] });
	await waitFor(supervisor, up.json.id, ['checked']);
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/commit`, { duplicates: 'merge' });
	j = await waitFor(supervisor, up.json.id, ['done', 'failed']);
	assert.deepEqual(j.result, { inserted: 0, merged: 3, skipped: 0 });
	c = (await api(admin, 'GET', `/api/customers/${existing.id}`)).json;
	assert.equal(c.company, '新公司');
	assert.equal(c.name, '王老板');
	assert.deepEqual(c.tags, ['原有', '新标签']);
	assert.equal(c.version, existing.version + 1);
	const audit = (await api(admin, 'GET', `/api/customers/${existing.id}/audit`)).json.items;
	assert.ok(audit.some((a) => a.action === 'import_merge'));
});

test('a merge that makes a customer a key account moves their open cases up the queues', async () => {
	const p = newPhone();
	const cust = await createCustomer(admin, { name: '升级客户', phone: p.local });
	const kase = assertStatus(await api(admin, 'POST', '/api/cases', { type: 'inquiry', channel: 'phone',
		subject: '报价咨询', customer_id: cust.id }), 201, 'case');
	assert.equal(kase.key_account, false);
	const up = await upload(supervisor, utf8Bom(csv([['姓名', '手机', '客户价值'], ['升级客户', p.digits, '大客户']])),
		'kind=customers&duplicates=merge&filename=key.csv');
	assertStatus(up, 201, 'csv upload');
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, {});
	await waitFor(supervisor, up.json.id, ['checked']);
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/commit`, {});
	const j = await waitFor(supervisor, up.json.id, ['done', 'failed']);
	assert.deepEqual(j.result, { inserted: 0, merged: 1, skipped: 0 });
	assert.equal((await api(admin, 'GET', `/api/customers/${cust.id}`)).json.value_class, 'key');
	assert.equal((await api(admin, 'GET', `/api/cases/${kase.id}`)).json.key_account, true);
});

test('orders: amounts in yuan, Chinese dates, customers found by phone', async () => {
	const p = newPhone();
	const cust = await createCustomer(admin, { name: '订单客户', phone: p.local });
	const text = csv([
		['订单号', '手机', '商品名称', '金额（元）', '毛利', '下单日期', '备注'],
		['SO-1', p.local, '空气净化器', '¥1,234.50', '200', '2024/3/5', '首单'],
		['SO-2', p.e164, '滤网', '99', '', '2024年3月6日 14:30', ''],
		['SO-3', '13000000000', '滤网', '99', '', '2024-03-07', ''],
		['SO-4', p.local, '滤网', '九十九', '', '2024-03-07', ''],
		['SO-5', p.local, '滤网', '10', '20', '2024-02-30', ''],
	]);
	const up = await upload(supervisor, gbk(text), 'kind=orders&filename=orders.csv');
	assertStatus(up, 201);
	assert.deepEqual(up.json.suggested_mapping, ['order_no', 'customer_phone', 'product', 'amount', 'margin', 'ordered_at', 'note']);
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, {});
	const j = await waitFor(supervisor, up.json.id, ['checked']);
	assert.equal(j.summary.ok, 2);
	assert.equal(j.summary.bad, 3);
	const probs = await allProblems(supervisor, up.json.id);
	assert.deepEqual(probs.map((x) => `${x.line}:${x.field}`).sort(),
		['4:customer_phone', '5:amount', '6:margin', '6:ordered_at'].sort());
	await api(supervisor, 'POST', `/api/imports/${up.json.id}/commit`, {});
	const d = await waitFor(supervisor, up.json.id, ['done', 'failed']);
	assert.deepEqual(d.result, { inserted: 2, merged: 0, skipped: 0 });
	const orders = (await api(admin, 'GET', `/api/customers/${cust.id}/orders`)).json.items;
	const so1 = orders.find((o) => o.order_no === 'SO-1');
	assert.equal(so1.amount_fen, 123450);
	assert.equal(so1.margin_fen, 20000);
	assert.equal(so1.ordered_at, Date.UTC(2024, 2, 4, 16, 0)); // 2024-03-05 00:00 in Shanghai
	assert.equal(orders.find((o) => o.order_no === 'SO-2').ordered_at, Date.UTC(2024, 2, 6, 6, 30));
});

test('errors: who may import, bad bodies, bad mappings, the field list', async () => {
	assertProblem(await upload(agent, Buffer.from('a,b\n1,2\n'), 'kind=customers'), 403, 'forbidden');
	assertProblem(await upload(supervisor, Buffer.from('a,b\n1,2\n'), 'kind=cats'), 422, 'invalid', 'kind');
	assertProblem(await upload(supervisor, Buffer.alloc(0), 'kind=customers'), 422, 'invalid', 'file');
	assertProblem(await upload(supervisor, Buffer.from('姓名,电话\n'), 'kind=customers'), 422, 'invalid', 'file');
	assertProblem(await upload(supervisor, Buffer.from('PK\x03\x04garbage'), 'kind=customers'), 422, 'invalid', 'file');
	const up = await upload(supervisor, Buffer.from('姓名,电话\n张三,13900000000\n'), 'kind=customers');
	assertStatus(up, 201);
	assertProblem(await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, { mapping: [null, 'phone'] }), 422, 'invalid', 'mapping');
	assertProblem(await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, { mapping: ['name', 'name'] }), 422, 'invalid', 'mapping');
	assertProblem(await api(supervisor, 'POST', `/api/imports/${up.json.id}/check`, { mapping: ['name', 'shoe_size'] }), 422, 'invalid', 'mapping');
	assertProblem(await api(supervisor, 'POST', `/api/imports/${up.json.id}/commit`, {}), 409, 'conflict');
	// Another supervisor does not see the job; an admin does.
	const other = await userSession(srv, admin, { role: 'supervisor' });
	assertProblem(await api(other, 'GET', `/api/imports/${up.json.id}`), 404, 'not_found');
	assertStatus(await api(admin, 'GET', `/api/imports/${up.json.id}`), 200);
	const list = await api(supervisor, 'GET', '/api/imports');
	assert.ok(list.json.items.some((x) => x.id === up.json.id));
	const f = await api(supervisor, 'GET', '/api/imports/fields?kind=orders');
	assertStatus(f, 200);
	assert.ok(f.json.fields.some((x) => x.name === 'amount' && x.required && x.zh.includes('金额')));
	assertStatus(await api(supervisor, 'POST', `/api/imports/${up.json.id}/cancel`), 200);
	assert.equal((await api(supervisor, 'GET', `/api/imports/${up.json.id}`)).json.status, 'cancelled');
});
