#include "core/demo.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/common.h"

/* ---- random numbers ------------------------------------------------------ */

#define GOLDEN 0x9E3779B97F4A7C15ULL

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void demo_seed(struct demo_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t demo_next(struct demo_rng *r)
{
	r->s += GOLDEN;
	return mix64(r->s);
}

/* The high and low halves of a * b, in portable C so that every platform
 * draws the same numbers (unsigned __int128 is not everywhere). */
static uint64_t mul_hi_lo(uint64_t a, uint64_t b, uint64_t *lo)
{
	uint64_t al = a & 0xffffffffu, ah = a >> 32;
	uint64_t bl = b & 0xffffffffu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
	*lo = (mid << 32) | (ll & 0xffffffffu);
	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* Lemire's multiply-and-reject: the high half of x * n is uniform in [0, n)
 * once the few low halves below 2^64 mod n are rejected. */
uint64_t demo_below(struct demo_rng *r, uint64_t n)
{
	uint64_t lo, hi;
	if (n == 0)
		return 0;
	hi = mul_hi_lo(demo_next(r), n, &lo);
	if (lo < n) {
		uint64_t t = (0 - n) % n;
		while (lo < t)
			hi = mul_hi_lo(demo_next(r), n, &lo);
	}
	return hi;
}

static int chance(struct demo_rng *r, unsigned percent)
{
	return demo_below(r, 100) < percent;
}

#define PICK(r, tab) (&(tab)[demo_below((r), KF_ARRAY_LEN(tab))])
/* An index into tab, drawn by the uint16_t member `w` of its entries. */
#define PICK_WEIGHTED(r, tab) \
	pick_weighted((r), &(tab)[0].w, KF_ARRAY_LEN(tab), sizeof((tab)[0]))

static size_t pick_weighted(struct demo_rng *r, const uint16_t *w0, size_t n, size_t stride)
{
	const unsigned char *p = (const unsigned char *)w0;
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += *(const uint16_t *)(const void *)(p + i * stride);
	uint64_t u = demo_below(r, total);
	for (size_t i = 0; i < n; i++) {
		uint16_t w = *(const uint16_t *)(const void *)(p + i * stride);
		if (u < w)
			return i;
		u -= w;
	}
	return n - 1;
}

/* ---- a bounded string builder ---------------------------------------------
 * Appends never overflow and never cut a UTF-8 character in two: a piece that
 * does not fit is cut at a character boundary and the builder stops.  The
 * tables below are sized so that this does not happen (the unit test checks
 * for headroom), so it is a safety net, not a feature. */

struct sb {
	char *p;
	size_t cap;
	size_t len;
	int full;
};

static void sb_init(struct sb *b, char *p, size_t cap)
{
	b->p = p;
	b->cap = cap;
	b->len = 0;
	b->full = 0;
	p[0] = '\0';
}

static void sb_putn(struct sb *b, const char *s, size_t n)
{
	if (b->full)
		return;
	size_t room = b->cap - 1 - b->len;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		b->full = 1;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_put(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* v in decimal, zero-padded to at least `width` digits. */
static void sb_putu(struct sb *b, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < (int)sizeof(tmp))
		tmp[sizeof(tmp) - 1 - n++] = '0';
	sb_putn(b, tmp + sizeof(tmp) - n, (size_t)n);
}

static void set(char *dst, size_t cap, const char *s)
{
	struct sb b;
	sb_init(&b, dst, cap);
	sb_put(&b, s);
}

#define SET(field, s) set((field), sizeof(field), (s))

/* ---- calendar -------------------------------------------------------------- */

#define DAY_MS 86400000LL
#define CST_MS (8LL * 3600000LL) /* China Standard Time, UTC+8, no DST */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = floor_div(z, 146097);
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* The date of day z as YYYY-MM-DD (sep = "-") or YYYYMMDD (sep = ""). */
static void sb_put_date(struct sb *b, int64_t z, const char *sep)
{
	int64_t y;
	unsigned m, d;
	civil_from_days(z, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 1970;
	sb_putu(b, (uint64_t)y, 4);
	sb_put(b, sep);
	sb_putu(b, m, 2);
	sb_put(b, sep);
	sb_putu(b, d, 2);
}

/* ---- tables ------------------------------------------------------------------ */

/* Surnames with their share of the population in 1/10,000 (2020 census,
 * rounded); pinyin for e-mail and WeChat ids. */
static const struct surname {
	const char *zh, *py;
	uint16_t w;
} surnames[] = {
	{"王", "wang", 712}, {"李", "li", 700}, {"张", "zhang", 674}, {"刘", "liu", 510},
	{"陈", "chen", 461}, {"杨", "yang", 322}, {"黄", "huang", 245}, {"赵", "zhao", 229},
	{"吴", "wu", 205}, {"周", "zhou", 199}, {"徐", "xu", 154}, {"孙", "sun", 152},
	{"马", "ma", 147}, {"朱", "zhu", 141}, {"胡", "hu", 133}, {"郭", "guo", 118},
	{"何", "he", 117}, {"林", "lin", 110}, {"高", "gao", 108}, {"罗", "luo", 88},
	{"郑", "zheng", 84}, {"梁", "liang", 82}, {"谢", "xie", 76}, {"宋", "song", 65},
	{"唐", "tang", 63}, {"许", "xu", 61}, {"韩", "han", 60}, {"冯", "feng", 56},
	{"邓", "deng", 55}, {"曹", "cao", 53}, {"彭", "peng", 51}, {"曾", "zeng", 50},
	{"肖", "xiao", 48}, {"田", "tian", 48}, {"董", "dong", 46}, {"袁", "yuan", 44},
	{"潘", "pan", 44}, {"于", "yu", 43}, {"蒋", "jiang", 42}, {"蔡", "cai", 42},
	{"余", "yu", 41}, {"杜", "du", 40}, {"叶", "ye", 39}, {"程", "cheng", 38},
	{"苏", "su", 36}, {"魏", "wei", 36}, {"吕", "lv", 35}, {"丁", "ding", 34},
	{"任", "ren", 34}, {"沈", "shen", 33}, {"姚", "yao", 32}, {"卢", "lu", 32},
	{"姜", "jiang", 30}, {"崔", "cui", 30}, {"钟", "zhong", 29}, {"谭", "tan", 28},
	{"陆", "lu", 28}, {"汪", "wang", 27}, {"范", "fan", 27}, {"金", "jin", 26},
	{"石", "shi", 26}, {"廖", "liao", 25}, {"贾", "jia", 25}, {"夏", "xia", 24},
	{"韦", "wei", 24}, {"付", "fu", 23}, {"方", "fang", 23}, {"白", "bai", 22},
	{"邹", "zou", 22}, {"孟", "meng", 21}, {"熊", "xiong", 21}, {"秦", "qin", 20},
	{"邱", "qiu", 20}, {"江", "jiang", 20}, {"尹", "yin", 19}, {"薛", "xue", 18},
	{"闫", "yan", 18}, {"段", "duan", 17}, {"雷", "lei", 17}, {"侯", "hou", 17},
	{"龙", "long", 16}, {"史", "shi", 16}, {"陶", "tao", 15}, {"黎", "li", 15},
	{"贺", "he", 15}, {"顾", "gu", 15}, {"毛", "mao", 15}, {"郝", "hao", 14},
	{"龚", "gong", 14}, {"邵", "shao", 14}, {"万", "wan", 13}, {"钱", "qian", 13},
	{"严", "yan", 13}, {"覃", "qin", 12}, {"武", "wu", 12}, {"戴", "dai", 12},
	{"莫", "mo", 12}, {"孔", "kong", 11}, {"向", "xiang", 11}, {"汤", "tang", 11},
	{"常", "chang", 10}, {"温", "wen", 10}, {"康", "kang", 10}, {"施", "shi", 9},
	{"文", "wen", 9}, {"牛", "niu", 9}, {"樊", "fan", 9}, {"葛", "ge", 9},
	{"邢", "xing", 8}, {"安", "an", 8}, {"齐", "qi", 8}, {"易", "yi", 8},
	{"乔", "qiao", 8}, {"伍", "wu", 8}, {"庞", "pang", 8}, {"颜", "yan", 8},
	{"倪", "ni", 7}, {"庄", "zhuang", 7}, {"聂", "nie", 7}, {"章", "zhang", 7},
	{"鲁", "lu", 7}, {"岳", "yue", 7}, {"翟", "zhai", 7}, {"殷", "yin", 6},
	{"詹", "zhan", 6}, {"申", "shen", 6}, {"欧", "ou", 6}, {"耿", "geng", 6},
	{"关", "guan", 6}, {"兰", "lan", 6}, {"焦", "jiao", 6}, {"俞", "yu", 6},
	{"左", "zuo", 6}, {"柳", "liu", 6}, {"甘", "gan", 5}, {"祝", "zhu", 5},
	{"包", "bao", 5}, {"宁", "ning", 5}, {"尚", "shang", 5}, {"符", "fu", 5},
	{"舒", "shu", 5}, {"阮", "ruan", 5}, {"柯", "ke", 5}, {"纪", "ji", 5},
	{"梅", "mei", 5}, {"童", "tong", 5}, {"凌", "ling", 5}, {"毕", "bi", 5},
	{"单", "shan", 5}, {"季", "ji", 5}, {"裴", "pei", 5}, {"霍", "huo", 5},
	{"涂", "tu", 5}, {"成", "cheng", 5}, {"苗", "miao", 5}, {"谷", "gu", 5},
	{"盛", "sheng", 5}, {"曲", "qu", 4}, {"翁", "weng", 4}, {"冉", "ran", 4},
	{"骆", "luo", 4}, {"蓝", "lan", 4}, {"路", "lu", 4}, {"游", "you", 4},
	{"辛", "xin", 4}, {"靳", "jin", 4}, {"管", "guan", 4}, {"柴", "chai", 4},
	{"蒙", "meng", 4}, {"鲍", "bao", 4}, {"华", "hua", 4}, {"喻", "yu", 4},
	{"祁", "qi", 4}, {"蒲", "pu", 4}, {"房", "fang", 4}, {"滕", "teng", 4},
	{"屈", "qu", 4}, {"饶", "rao", 4}, {"解", "xie", 4}, {"牟", "mou", 4},
	{"艾", "ai", 4}, {"尤", "you", 4}, {"阳", "yang", 4}, {"时", "shi", 4},
	{"穆", "mu", 4}, {"农", "nong", 4}, {"司", "si", 3}, {"卓", "zhuo", 3},
	{"古", "gu", 3}, {"吉", "ji", 3}, {"缪", "miao", 3}, {"简", "jian", 3},
	{"车", "che", 3}, {"项", "xiang", 3}, {"连", "lian", 3}, {"芦", "lu", 3},
	{"麦", "mai", 3}, {"褚", "chu", 3}, {"娄", "lou", 3}, {"窦", "dou", 3},
	{"戚", "qi", 3}, {"岑", "cen", 3}, {"景", "jing", 3}, {"党", "dang", 3},
	{"宫", "gong", 3}, {"费", "fei", 3}, {"卜", "bu", 3}, {"冷", "leng", 3},
	{"晏", "yan", 3}, {"席", "xi", 3}, {"卫", "wei", 3}, {"米", "mi", 3},
	{"柏", "bai", 3}, {"宗", "zong", 3}, {"桂", "gui", 3}, {"全", "quan", 3},
	{"佟", "tong", 3}, {"应", "ying", 3}, {"臧", "zang", 3}, {"闵", "min", 3},
	{"邬", "wu", 3}, {"边", "bian", 3}, {"卞", "bian", 3}, {"姬", "ji", 3},
	{"欧阳", "ouyang", 3}, {"上官", "shangguan", 1}, {"司马", "sima", 1}, {"诸葛", "zhuge", 1},
};

/* Characters common in given names. */
static const struct given {
	const char *zh, *py;
} givens[] = {
	{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"},
	{"丽", "li"}, {"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"},
	{"勇", "yong"}, {"艳", "yan"}, {"杰", "jie"}, {"娟", "juan"}, {"涛", "tao"},
	{"明", "ming"}, {"超", "chao"}, {"秀", "xiu"}, {"霞", "xia"}, {"平", "ping"},
	{"刚", "gang"}, {"桂", "gui"}, {"英", "ying"}, {"华", "hua"}, {"建", "jian"},
	{"文", "wen"}, {"辉", "hui"}, {"玲", "ling"}, {"鹏", "peng"}, {"斌", "bin"},
	{"宇", "yu"}, {"浩", "hao"}, {"凯", "kai"}, {"欣", "xin"}, {"婷", "ting"},
	{"雪", "xue"}, {"琳", "lin"}, {"晨", "chen"}, {"阳", "yang"}, {"佳", "jia"},
	{"怡", "yi"}, {"子", "zi"}, {"涵", "han"}, {"梓", "zi"}, {"轩", "xuan"},
	{"博", "bo"}, {"俊", "jun"}, {"嘉", "jia"}, {"思", "si"}, {"雨", "yu"},
	{"晓", "xiao"}, {"志", "zhi"}, {"国", "guo"}, {"海", "hai"}, {"红", "hong"},
	{"梅", "mei"}, {"兰", "lan"}, {"波", "bo"}, {"飞", "fei"}, {"鑫", "xin"},
	{"昊", "hao"}, {"然", "ran"}, {"睿", "rui"}, {"诗", "shi"}, {"欢", "huan"},
	{"慧", "hui"}, {"颖", "ying"}, {"倩", "qian"}, {"丹", "dan"}, {"亮", "liang"},
	{"成", "cheng"}, {"新", "xin"}, {"宏", "hong"}, {"峰", "feng"}, {"晶", "jing"},
	{"莉", "li"}, {"燕", "yan"}, {"萍", "ping"}, {"林", "lin"}, {"东", "dong"},
	{"天", "tian"}, {"一", "yi"}, {"泽", "ze"}, {"宁", "ning"}, {"安", "an"},
	{"婉", "wan"}, {"瑶", "yao"}, {"悦", "yue"}, {"琪", "qi"}, {"航", "hang"},
	{"毅", "yi"}, {"彬", "bin"}, {"立", "li"}, {"振", "zhen"}, {"春", "chun"},
};

enum region { R_NORTH, R_NORTHEAST, R_EAST, R_CENTRAL, R_SOUTH, R_SOUTHWEST, R_NORTHWEST };

static const char *const region_tags[] = {
	[R_NORTH] = "华北区", [R_NORTHEAST] = "东北区", [R_EAST] = "华东区",
	[R_CENTRAL] = "华中区", [R_SOUTH] = "华南区", [R_SOUTHWEST] = "西南区",
	[R_NORTHWEST] = "西北区",
};

/* Real cities and districts, weighted roughly by economic weight.  prov is ""
 * for the four municipalities, whose address starts with the city.  Haikou
 * has four districts, so its largest, 龙华区, is listed twice. */
static const struct city {
	const char *prov, *name, *py;
	enum region region;
	uint16_t w;
	const char *dist[5];
} cities[] = {
	{"", "北京市", "beijing", R_NORTH, 60, {"朝阳区", "海淀区", "东城区", "西城区", "丰台区"}},
	{"", "上海市", "shanghai", R_EAST, 60, {"浦东新区", "徐汇区", "静安区", "黄浦区", "闵行区"}},
	{"", "天津市", "tianjin", R_NORTH, 20, {"和平区", "河西区", "南开区", "滨海新区", "河东区"}},
	{"", "重庆市", "chongqing", R_SOUTHWEST, 30, {"渝中区", "江北区", "南岸区", "渝北区", "沙坪坝区"}},
	{"广东省", "广州市", "guangzhou", R_SOUTH, 50, {"天河区", "越秀区", "海珠区", "白云区", "番禺区"}},
	{"广东省", "深圳市", "shenzhen", R_SOUTH, 55, {"南山区", "福田区", "罗湖区", "宝安区", "龙岗区"}},
	{"广东省", "佛山市", "foshan", R_SOUTH, 20, {"禅城区", "南海区", "顺德区", "三水区", "高明区"}},
	{"广东省", "东莞市", "dongguan", R_SOUTH, 20, {"南城街道", "东城街道", "莞城街道", "长安镇", "虎门镇"}},
	{"浙江省", "杭州市", "hangzhou", R_EAST, 40, {"西湖区", "上城区", "拱墅区", "滨江区", "余杭区"}},
	{"浙江省", "宁波市", "ningbo", R_EAST, 20, {"海曙区", "鄞州区", "江北区", "北仑区", "镇海区"}},
	{"浙江省", "温州市", "wenzhou", R_EAST, 12, {"鹿城区", "瓯海区", "龙湾区", "洞头区", "乐清市"}},
	{"江苏省", "南京市", "nanjing", R_EAST, 35, {"玄武区", "秦淮区", "鼓楼区", "建邺区", "江宁区"}},
	{"江苏省", "苏州市", "suzhou", R_EAST, 35, {"姑苏区", "吴中区", "相城区", "虎丘区", "吴江区"}},
	{"江苏省", "无锡市", "wuxi", R_EAST, 18, {"梁溪区", "滨湖区", "新吴区", "锡山区", "惠山区"}},
	{"山东省", "济南市", "jinan", R_EAST, 20, {"历下区", "市中区", "槐荫区", "天桥区", "历城区"}},
	{"山东省", "青岛市", "qingdao", R_EAST, 22, {"市南区", "市北区", "崂山区", "黄岛区", "李沧区"}},
	{"福建省", "福州市", "fuzhou", R_EAST, 16, {"鼓楼区", "台江区", "仓山区", "晋安区", "马尾区"}},
	{"福建省", "厦门市", "xiamen", R_EAST, 16, {"思明区", "湖里区", "集美区", "海沧区", "同安区"}},
	{"安徽省", "合肥市", "hefei", R_EAST, 18, {"蜀山区", "包河区", "庐阳区", "瑶海区", "肥西县"}},
	{"江西省", "南昌市", "nanchang", R_EAST, 12, {"东湖区", "西湖区", "红谷滩区", "青山湖区", "新建区"}},
	{"四川省", "成都市", "chengdu", R_SOUTHWEST, 40, {"锦江区", "青羊区", "武侯区", "成华区", "金牛区"}},
	{"湖北省", "武汉市", "wuhan", R_CENTRAL, 35, {"江汉区", "武昌区", "洪山区", "江岸区", "汉阳区"}},
	{"湖南省", "长沙市", "changsha", R_CENTRAL, 25, {"岳麓区", "芙蓉区", "天心区", "开福区", "雨花区"}},
	{"河南省", "郑州市", "zhengzhou", R_CENTRAL, 25, {"金水区", "二七区", "中原区", "管城回族区", "惠济区"}},
	{"陕西省", "西安市", "xian", R_NORTHWEST, 25, {"雁塔区", "碑林区", "新城区", "未央区", "莲湖区"}},
	{"辽宁省", "沈阳市", "shenyang", R_NORTHEAST, 15, {"和平区", "沈河区", "皇姑区", "铁西区", "浑南区"}},
	{"辽宁省", "大连市", "dalian", R_NORTHEAST, 14, {"中山区", "西岗区", "沙河口区", "甘井子区", "金州区"}},
	{"河北省", "石家庄市", "shijiazhuang", R_NORTH, 14, {"长安区", "桥西区", "裕华区", "新华区", "栾城区"}},
	{"山西省", "太原市", "taiyuan", R_NORTH, 10, {"小店区", "迎泽区", "杏花岭区", "万柏林区", "晋源区"}},
	{"广西壮族自治区", "南宁市", "nanning", R_SOUTH, 12, {"青秀区", "兴宁区", "西乡塘区", "江南区", "良庆区"}},
	{"云南省", "昆明市", "kunming", R_SOUTHWEST, 14, {"五华区", "盘龙区", "官渡区", "西山区", "呈贡区"}},
	{"贵州省", "贵阳市", "guiyang", R_SOUTHWEST, 10, {"南明区", "云岩区", "观山湖区", "花溪区", "白云区"}},
	{"黑龙江省", "哈尔滨市", "haerbin", R_NORTHEAST, 12, {"南岗区", "道里区", "香坊区", "道外区", "松北区"}},
	{"吉林省", "长春市", "changchun", R_NORTHEAST, 10, {"朝阳区", "南关区", "绿园区", "宽城区", "二道区"}},
	{"甘肃省", "兰州市", "lanzhou", R_NORTHWEST, 6, {"城关区", "七里河区", "安宁区", "西固区", "红古区"}},
	{"新疆维吾尔自治区", "乌鲁木齐市", "wulumuqi", R_NORTHWEST, 6, {"天山区", "沙依巴克区", "新市区", "水磨沟区", "米东区"}},
	{"内蒙古自治区", "呼和浩特市", "huhehaote", R_NORTH, 5, {"新城区", "回民区", "赛罕区", "玉泉区", "土默特左旗"}},
	{"海南省", "海口市", "haikou", R_SOUTH, 6, {"龙华区", "美兰区", "秀英区", "琼山区", "龙华区"}},
};

static const char *const roads[] = {
	"人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "文化路", "胜利路",
	"幸福路", "长江路", "黄河路", "朝阳路", "光明路", "青年路", "东风路", "北京路",
	"南京路", "滨江路", "科技路", "工业大道", "学府路", "花园路", "迎宾大道", "金融街",
	"科技园南路", "高新一路", "世纪大道", "体育路", "健康路", "民主路", "五一路", "团结路",
};

static const char *const estates[] = {
	"阳光花园", "幸福家园", "锦绣华庭", "翠苑小区", "金色家园", "滨江花园", "万象新城",
	"香榭里", "紫荆苑", "碧水湾", "书香门第", "桃源居", "御景湾", "城市之光", "绿地新都会",
};

/* Made-up trade names (字号) with their pinyin for web domains. */
static const struct brand {
	const char *zh, *py;
} brands[] = {
	{"华鑫", "huaxin"}, {"恒达", "hengda"}, {"瑞丰", "ruifeng"}, {"宏远", "hongyuan"},
	{"金桥", "jinqiao"}, {"天润", "tianrun"}, {"中科", "zhongke"}, {"博雅", "boya"},
	{"鼎盛", "dingsheng"}, {"嘉禾", "jiahe"}, {"汇通", "huitong"}, {"永泰", "yongtai"},
	{"东方", "dongfang"}, {"新锐", "xinrui"}, {"联创", "lianchuang"}, {"盛世", "shengshi"},
	{"安信", "anxin"}, {"合众", "hezhong"}, {"远航", "yuanhang"}, {"星辰", "xingchen"},
	{"万象", "wanxiang"}, {"广源", "guangyuan"}, {"富康", "fukang"}, {"君诚", "juncheng"},
	{"明德", "mingde"}, {"锦程", "jincheng"}, {"云帆", "yunfan"}, {"泰和", "taihe"},
	{"海纳", "haina"}, {"卓越", "zhuoyue"}, {"信达", "xinda"}, {"立信", "lixin"},
	{"银河", "yinhe"}, {"晟源", "shengyuan"}, {"凯旋", "kaixuan"}, {"腾飞", "tengfei"},
};

/* Naming templates, expanded by expand(): %C city, %S city without 市,
 * %D district, %B trade name, %W the industry's word, %N a small ordinal
 * (一..五), %b trade name pinyin, %p city pinyin. */
struct pattern {
	const char *name, *domain;
};

static const struct pattern company_patterns[] = {
	{"%C%B%W有限公司", "%b.com"},
	{"%S%B%W有限公司", "%b.com.cn"},
	{"%S%B%W有限公司", "%b%p.com"},
	{"%S%B%W股份有限公司", "%b.cn"},
	{"%B%W集团有限公司", "%bgroup.com"},
};

static const struct pattern edu_inst[] = {
	{"%C第%N中学", "%pzx.edu.cn"}, {"%C%D实验小学", "%psy.edu.cn"}, {"%S职业技术学院", "%pvtc.edu.cn"},
};
static const struct pattern med_inst[] = {
	{"%C第%N人民医院", "%phospital.cn"}, {"%C中医院", "%ptcm.cn"}, {"%C%D妇幼保健院", "%pfy.cn"},
};
static const struct pattern gov_inst[] = {
	{"%C%D市场监督管理局", "%p.gov.cn"}, {"%C教育局", "%p.gov.cn"}, {"%C卫生健康委员会", "%p.gov.cn"},
	{"%C%D税务局", "%p.gov.cn"}, {"%C交通运输局", "%p.gov.cn"}, {"%C%D住房和城乡建设局", "%p.gov.cn"},
	{"%C商务局", "%p.gov.cn"}, {"%C%D城市管理局", "%p.gov.cn"},
};
static const struct pattern media_inst[] = {
	{"%S日报社", "%pdaily.cn"}, {"%S广播电视台", "%ptv.cn"}, {"%S晚报社", "%pnews.cn"},
	{"%C融媒体中心", "%pmedia.cn"},
};

/* Industries, weighted as organisations and employers.  An industry with
 * institutions names inst_pct% of its organisations by them (schools,
 * hospitals, government bodies, newspapers); those are public customers
 * when pub is set. */
static const struct industry {
	const char *name;
	uint16_t w;
	const char *words[4];
	const struct pattern *inst;
	uint8_t ninst, inst_pct, pub;
} industries[] = {
	{"制造业", 160, {"机械制造", "精密制造", "电子科技", "五金制品"}, NULL, 0, 0, 0},
	{"零售", 140, {"商贸", "百货", "超市", "贸易"}, NULL, 0, 0, 0},
	{"餐饮", 80, {"餐饮管理", "食品", "餐饮", "酒店管理"}, NULL, 0, 0, 0},
	{"教育", 70, {"教育科技", "教育咨询", "文化发展", "培训"}, edu_inst, KF_ARRAY_LEN(edu_inst), 40, 1},
	{"医疗", 60, {"医疗器械", "医药", "健康管理", "生物科技"}, med_inst, KF_ARRAY_LEN(med_inst), 40, 1},
	{"金融", 60, {"投资管理", "融资租赁", "保险代理", "资产管理"}, NULL, 0, 0, 0},
	{"物流", 60, {"物流", "供应链管理", "运输", "国际货运代理"}, NULL, 0, 0, 0},
	{"房地产", 50, {"置业", "房地产开发", "物业管理", "地产"}, NULL, 0, 0, 0},
	{"互联网", 80, {"网络科技", "信息技术", "软件", "数字科技"}, NULL, 0, 0, 0},
	{"建筑", 60, {"建设工程", "建筑装饰", "建材", "市政工程"}, NULL, 0, 0, 0},
	{"汽车", 50, {"汽车销售服务", "汽车零部件", "汽车服务", "汽车租赁"}, NULL, 0, 0, 0},
	{"能源", 30, {"新能源科技", "能源", "电力工程", "燃气"}, NULL, 0, 0, 0},
	{"农业", 30, {"农业发展", "生态农业", "农产品", "种业"}, NULL, 0, 0, 0},
	{"政府机关", 40, {"", "", "", ""}, gov_inst, KF_ARRAY_LEN(gov_inst), 100, 1},
	{"媒体", 30, {"文化传媒", "广告", "传媒", "影视文化"}, media_inst, KF_ARRAY_LEN(media_inst), 50, 1},
};

static const char *const hobbies[] = {
	"钓鱼", "书法", "羽毛球", "乒乓球", "篮球", "足球", "跑步", "登山", "摄影", "旅游",
	"阅读", "茶艺", "围棋", "象棋", "瑜伽", "游泳", "烹饪", "园艺", "太极拳", "广场舞",
	"收藏", "骑行", "高尔夫", "健身", "唱歌", "看电影",
};

static const char *const free_mail[] = {
	"qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "outlook.com", "139.com", "gmail.com",
};

static const char *const org_mailboxes[] = {
	"service", "info", "contact", "sales", "kefu", "office", "purchase", "admin",
};

/* Real mobile prefixes of China Mobile, Unicom and Telecom.  Exactly 40, so
 * that DEMO_PHONE_SPACE = 40 * 10^8 has no prime factor other than 2 and 5. */
static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"145", "147", "150", "151", "152", "153", "155", "156", "157", "158",
	"159", "166", "173", "175", "176", "177", "178", "180", "181", "182",
	"183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
};
_Static_assert(sizeof(mobile_prefixes) / sizeof(mobile_prefixes[0]) * 100000000ULL == DEMO_PHONE_SPACE,
	"phone space must match the prefix table");

/* The catalogue.  Goods have a list price (lo == hi) and are bought up to
 * max_qty at a time; contracts and projects are priced case by case in
 * [lo, hi].  Orders pick an item that can make up the amount they aim at, so
 * a 200 元 order is never a laptop and a 30,000 元 one is a batch of them.
 * `who` says who buys it: households (FOR_HOME), organisations (FOR_ORG). */
#define YUAN(x) ((int64_t)(x) * 100)
enum { FOR_HOME = 1, FOR_ORG = 2, FOR_ALL = 3 };

static const struct product {
	const char *name;
	int64_t lo, hi;
	int max_qty;
	int who;
} products[] = {
	{"蓝月亮洗衣液 3kg", YUAN(59), YUAN(59), 10, FOR_ALL},
	{"罗技无线鼠标 M330", YUAN(129), YUAN(129), 30, FOR_ALL},
	{"小米移动电源 20000mAh", YUAN(149), YUAN(149), 10, FOR_ALL},
	{"得力 A4复印纸 70g 整箱", YUAN(150), YUAN(150), 40, FOR_ORG},
	{"上门安装服务", YUAN(200), YUAN(200), 10, FOR_ALL},
	{"年度会员服务", YUAN(299), YUAN(299), 1, FOR_HOME},
	{"格力电风扇 FD-40", YUAN(299), YUAN(299), 10, FOR_ALL},
	{"惠普 CF388A 硒鼓", YUAN(320), YUAN(320), 20, FOR_ORG},
	{"飞利浦电动牙刷 HX6730", YUAN(399), YUAN(399), 5, FOR_HOME},
	{"美的电饭煲 MB-FB40", YUAN(399), YUAN(399), 5, FOR_HOME},
	{"延保服务 2年", YUAN(399), YUAN(399), 10, FOR_ALL},
	{"九阳豆浆机 DJ13B", YUAN(499), YUAN(499), 5, FOR_HOME},
	{"西湖龙井 明前茶礼盒", YUAN(680), YUAN(680), 50, FOR_ALL},
	{"办公椅 人体工学款", YUAN(1280), YUAN(1280), 50, FOR_ALL},
	{"Redmi K70 手机", YUAN(2499), YUAN(2499), 10, FOR_ALL},
	{"小天鹅洗衣机 TG100", YUAN(2699), YUAN(2699), 5, FOR_HOME},
	{"戴森吹风机 HD15", YUAN(2999), YUAN(2999), 3, FOR_HOME},
	{"美的空调 KFR-35GW", YUAN(3199), YUAN(3199), 20, FOR_ALL},
	{"戴尔显示器 U2723QE", YUAN(3999), YUAN(3999), 50, FOR_ALL},
	{"海尔冰箱 BCD-470", YUAN(4299), YUAN(4299), 5, FOR_ALL},
	{"华为 MateBook 14", YUAN(5999), YUAN(5999), 50, FOR_ALL},
	{"格力空调 KFR-72LW", YUAN(7999), YUAN(7999), 20, FOR_ALL},
	{"iPhone 15 Pro 256G", YUAN(8999), YUAN(8999), 20, FOR_ALL},
	{"联想 ThinkPad X1 Carbon", YUAN(9999), YUAN(9999), 50, FOR_ALL},
	{"华为 IdeaHub 会议平板", YUAN(25999), YUAN(25999), 10, FOR_ORG},
	{"雅马哈钢琴 U1", YUAN(45000), YUAN(45000), 1, FOR_HOME},
	{"浪潮服务器 NF5280M6", YUAN(45000), YUAN(45000), 10, FOR_ORG},
	{"合力叉车 CPD30", YUAN(98000), YUAN(98000), 5, FOR_ORG},
	{"比亚迪 汉EV", YUAN(209800), YUAN(209800), 2, FOR_ALL},
	{"问界 M7 增程版", YUAN(249800), YUAN(249800), 1, FOR_HOME},
	{"全屋定制家具", YUAN(30000), YUAN(300000), 1, FOR_HOME},
	{"家庭光伏安装", YUAN(30000), YUAN(120000), 1, FOR_HOME},
	{"年度维保服务", YUAN(10000), YUAN(200000), 1, FOR_ORG},
	{"海康威视 监控系统", YUAN(15000), YUAN(150000), 1, FOR_ORG},
	{"办公家具 整套", YUAN(20000), YUAN(200000), 1, FOR_ORG},
	{"企业版软件年费", YUAN(20000), YUAN(300000), 1, FOR_ORG},
	{"三年期综合维保合同", YUAN(50000), YUAN(500000), 1, FOR_ORG},
	{"大金 VRV 中央空调工程", YUAN(80000), YUAN(500000), 1, FOR_ORG},
	{"ERP 实施项目", YUAN(100000), YUAN(500000), 1, FOR_ORG},
	{"数据中心机柜扩容", YUAN(100000), YUAN(500000), 1, FOR_ORG},
	{"光伏电站 EPC 工程", YUAN(150000), YUAN(500000), 1, FOR_ORG},
	{"产线自动化改造项目", YUAN(200000), YUAN(500000), 1, FOR_ORG},
};

/* ---- phone numbers -------------------------------------------------------- */

/* A keyed permutation of [0, 2^32): four Feistel rounds on 16-bit halves. */
static uint32_t feistel32(uint32_t x, uint64_t key)
{
	uint32_t l = x >> 16, rr = x & 0xffffu;
	for (int i = 0; i < 4; i++) {
		uint32_t f = (uint32_t)(mix64(key + (uint64_t)i * GOLDEN + rr) & 0xffffu);
		uint32_t t = rr;
		rr = l ^ f;
		l = t;
	}
	return (l << 16) | rr;
}

/* index -> phone is one-to-one on [0, DEMO_PHONE_SPACE): cycle walking keeps
 * the permutation of 2^32 inside the smaller space, and a permutation of the
 * space splits into (prefix, 8 digits) without collisions. */
static void make_phone(char *out, size_t cap, uint64_t seed, uint64_t index)
{
	uint64_t key = mix64(seed ^ 0x70686f6e65ULL);
	uint32_t x = (uint32_t)(index % DEMO_PHONE_SPACE);
	do
		x = feistel32(x, key);
	while (x >= DEMO_PHONE_SPACE);
	struct sb b;
	sb_init(&b, out, cap);
	sb_put(&b, "+86");
	sb_put(&b, mobile_prefixes[x / 100000000u]);
	sb_putu(&b, x % 100000000u, 8);
}

/* ---- organisations --------------------------------------------------------- */

struct place {
	const struct city *city;
	const char *district;
};

struct org {
	struct place at;
	const struct industry *ind;
	int institution;
	char domain[48];
};

static void place_pick(struct demo_rng *r, struct place *p)
{
	p->city = &cities[PICK_WEIGHTED(r, cities)];
	p->district = *PICK(r, p->city->dist);
}

static void sb_put_city_short(struct sb *b, const struct city *c)
{
	size_t n = strlen(c->name);
	sb_putn(b, c->name, n - strlen("市"));
}

static void expand(struct sb *b, const char *tpl, const struct org *o, const struct brand *br,
	const char *word, struct demo_rng *r)
{
	static const char *const ordinals[] = {"一", "二", "三", "四", "五"};
	const char *s = tpl;
	while (*s) {
		if (s[0] != '%' || !s[1]) {
			const char *e = strchr(s + 1, '%');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			sb_putn(b, s, n);
			s += n;
			continue;
		}
		switch (s[1]) {
		case 'C': sb_put(b, o->at.city->name); break;
		case 'S': sb_put_city_short(b, o->at.city); break;
		case 'D': sb_put(b, o->at.district); break;
		case 'B': sb_put(b, br->zh); break;
		case 'W': sb_put(b, word); break;
		case 'N': {
			/* the smaller of two draws: 第一 is the most common */
			uint64_t x = demo_below(r, 5), y = demo_below(r, 5);
			sb_put(b, ordinals[x < y ? x : y]);
			break;
		}
		case 'b': sb_put(b, br->py); break;
		case 'p': sb_put(b, o->at.city->py); break;
		default: sb_putn(b, s, 2); break;
		}
		s += 2;
	}
}

/* A company or institution in place `at` (or a random place if at is NULL):
 * its name into name[cap], its web domain into o->domain. */
static void org_make(struct demo_rng *r, const struct place *at, struct org *o, char *name, size_t cap)
{
	if (at)
		o->at = *at;
	else
		place_pick(r, &o->at);
	o->ind = &industries[PICK_WEIGHTED(r, industries)];
	const struct pattern *p;
	o->institution = o->ind->ninst && chance(r, o->ind->inst_pct);
	if (o->institution)
		p = &o->ind->inst[demo_below(r, o->ind->ninst)];
	else
		p = PICK(r, company_patterns);
	const struct brand *br = PICK(r, brands);
	const char *word = *PICK(r, o->ind->words);
	struct sb b;
	sb_init(&b, name, cap);
	expand(&b, p->name, o, br, word, r);
	sb_init(&b, o->domain, sizeof(o->domain));
	expand(&b, p->domain, o, br, word, r);
}

/* ---- the customer file --------------------------------------------------- */

static void make_address(struct demo_rng *r, const struct place *at, int person, char *out, size_t cap)
{
	struct sb b;
	sb_init(&b, out, cap);
	sb_put(&b, at->city->prov);
	sb_put(&b, at->city->name);
	sb_put(&b, at->district);
	sb_put(&b, *PICK(r, roads));
	sb_putu(&b, 1 + demo_below(r, chance(r, 70) ? 200 : 1500), 0);
	sb_put(&b, "号");
	if (person) {
		sb_put(&b, *PICK(r, estates));
		sb_putu(&b, 1 + demo_below(r, 30), 0);
		sb_put(&b, "栋");
		if (chance(r, 40)) {
			sb_putu(&b, 1 + demo_below(r, 4), 0);
			sb_put(&b, "单元");
		}
		sb_putu(&b, (1 + demo_below(r, 32)) * 100 + 1 + demo_below(r, 4), 0);
		sb_put(&b, "室");
	} else if (chance(r, 60)) {
		if (chance(r, 30))
			sb_put(&b, "A座");
		sb_putu(&b, 1 + demo_below(r, 28), 0);
		sb_put(&b, "楼");
	}
}

struct person_name {
	const struct surname *sur;
	const struct given *g[2];
	int ng;
};

static void make_name(struct demo_rng *r, struct person_name *pn, char *out, size_t cap)
{
	pn->sur = &surnames[PICK_WEIGHTED(r, surnames)];
	pn->ng = chance(r, 72) ? 2 : 1;
	if (pn->sur->zh[3]) /* a two-character surname takes a one-character name */
		pn->ng = 1;
	struct sb b;
	sb_init(&b, out, cap);
	sb_put(&b, pn->sur->zh);
	for (int i = 0; i < pn->ng; i++) {
		pn->g[i] = PICK(r, givens);
		sb_put(&b, pn->g[i]->zh);
	}
}

static void sb_put_given_py(struct sb *b, const struct person_name *pn)
{
	for (int i = 0; i < pn->ng; i++)
		sb_put(b, pn->g[i]->py);
}

static void make_person_email(struct demo_rng *r, const struct person_name *pn, const struct org *employer,
	char *out, size_t cap)
{
	struct sb b;
	sb_init(&b, out, cap);
	unsigned style = (unsigned)demo_below(r, 10);
	if (style < 3) { /* a QQ number */
		sb_putu(&b, 10000 + demo_below(r, 3999990000ULL), 0);
		sb_put(&b, "@qq.com");
		return;
	}
	if (style < 5) {
		sb_put_given_py(&b, pn);
		sb_put(&b, ".");
		sb_put(&b, pn->sur->py);
	} else {
		sb_put(&b, pn->sur->py);
		sb_put_given_py(&b, pn);
	}
	if (employer && chance(r, 60)) {
		sb_put(&b, "@");
		sb_put(&b, employer->domain);
		return;
	}
	if (chance(r, 70))
		sb_putu(&b, chance(r, 50) ? 1960 + demo_below(r, 45) : demo_below(r, 1000), 0);
	sb_put(&b, "@");
	sb_put(&b, *PICK(r, free_mail));
}

static void make_wechat(struct demo_rng *r, const struct person_name *pn, char *out, size_t cap)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	struct sb b;
	sb_init(&b, out, cap);
	if (!pn || chance(r, 35)) { /* the id WeChat assigns */
		char id[14];
		for (size_t i = 0; i < sizeof(id); i++)
			id[i] = alnum[demo_below(r, sizeof(alnum) - 1)];
		sb_put(&b, "wxid_");
		sb_putn(&b, id, sizeof(id));
		return;
	}
	sb_put(&b, pn->sur->py);
	sb_put_given_py(&b, pn);
	sb_put(&b, chance(r, 50) ? "_" : "");
	sb_putu(&b, demo_below(r, 10000), 0);
}

static void make_hobbies(struct demo_rng *r, char *out, size_t cap)
{
	struct sb b;
	sb_init(&b, out, cap);
	unsigned u = (unsigned)demo_below(r, 100);
	int n = u < 35 ? 0 : u < 75 ? 1 : 2;
	size_t first = demo_below(r, KF_ARRAY_LEN(hobbies));
	if (n >= 1)
		sb_put(&b, hobbies[first]);
	if (n == 2) {
		size_t second = (first + 1 + demo_below(r, KF_ARRAY_LEN(hobbies) - 1)) % KF_ARRAY_LEN(hobbies);
		sb_put(&b, "、");
		sb_put(&b, hobbies[second]);
	}
}

static void make_birthday(struct demo_rng *r, int64_t now_ms, char *out, size_t cap)
{
	int64_t today = floor_div(now_ms + CST_MS, DAY_MS);
	int64_t back = 18 * 365 + (int64_t)demo_below(r, 52 * 365);
	struct sb b;
	sb_init(&b, out, cap);
	sb_put_date(&b, today - back, "-");
}

static void add_tag(struct demo_customer *c, const char *tag)
{
	if (c->ntags >= (int)KF_ARRAY_LEN(c->tags))
		return;
	SET(c->tags[c->ntags], tag);
	c->ntags++;
}

/* ---- orders ------------------------------------------------------------------ */

#define MAX_ORDER_FEN 50000000LL  /* 500,000 元 */

/* How much a customer spends per order: a base times 2^k, k geometric with
 * p = 0.37, so P(scale > x) falls like x^-1.43 - the Pareto tail behind the
 * 80/20 rule - times a uniform factor in [1, 2) to fill the gaps.  Bigger
 * customers also order more often (order_count), which sharpens the tail:
 * the top 20% of customers bring about 84% of the revenue. */
static int64_t spend_scale(struct demo_rng *r, int org, int *k)
{
	int64_t base = org ? 200000 : 40000;
	*k = 0;
	while (*k < 11 && chance(r, 37))
		(*k)++;
	return (base << *k) * (int64_t)(1024 + demo_below(r, 1024)) / 1024;
}

/* The lifecycle stages (DOMAIN §1) with their share of customers and how
 * often each buys in DEMO_HISTORY_MS: min + [0, spread) orders, plus k/kdiv
 * for the big spenders.  Potential customers have not bought yet. */
enum { ST_POTENTIAL, ST_TEMPORARY, ST_GENERAL, ST_LOYAL };

static const struct stage {
	const char *code;
	unsigned pct;
	int min, spread, kdiv;
} stages[] = {
	[ST_POTENTIAL] = {"potential", 10, 0, 0, 0},
	[ST_TEMPORARY] = {"temporary", 12, 1, 2, 0},
	[ST_GENERAL] = {"general", 68, 1, 3, 3},
	[ST_LOYAL] = {"loyal", 10, 4, 5, 2},
};

static const struct stage *pick_stage(struct demo_rng *r)
{
	unsigned u = (unsigned)demo_below(r, 100);
	size_t i = 0;
	while (i + 1 < KF_ARRAY_LEN(stages) && u >= stages[i].pct)
		u -= stages[i++].pct;
	return &stages[i];
}

static int order_count(struct demo_rng *r, const struct stage *st, int k)
{
	int n = st->min + (int)demo_below(r, (uint64_t)st->spread) + (st->kdiv ? k / st->kdiv : 0);
	return n < DEMO_MAX_ORDERS ? n : DEMO_MAX_ORDERS;
}

/* A time in [lo, now_ms], moved into 08:00-22:00 China time when that stays
 * in range, because few orders are placed at night. */
static int64_t order_time(struct demo_rng *r, int64_t now_ms)
{
	int64_t lo = now_ms - DEMO_HISTORY_MS;
	int64_t t = lo + (int64_t)demo_below(r, (uint64_t)DEMO_HISTORY_MS + 1);
	int64_t tod = (t + CST_MS) - floor_div(t + CST_MS, DAY_MS) * DAY_MS;
	int64_t moved = t - tod + 8 * 3600000LL + tod * 14 / 24;
	return moved >= lo && moved <= now_ms ? moved : t;
}

/* Who buys, and how many of one thing at a time. */
struct buyer {
	int who;
	int max_qty;
};

/* An item and quantity that make up about `target`: the amount.  A target
 * no item of this buyer reaches buys the biggest one it can; one below every
 * item buys the cheapest.  Either way the amount stays within 50 元 (the
 * cheapest item less 10%) and 500,000 元 (the dearest). */
static int64_t pick_product(struct demo_rng *r, int64_t target, const struct buyer *by, char *name, size_t cap)
{
	_Static_assert(KF_ARRAY_LEN(products) <= 256, "fit[] holds uint8_t indexes");
	uint8_t fit[KF_ARRAY_LEN(products)];
	size_t nfit = 0, cheapest = 0, biggest = 0;
	int64_t cheapest_lo = INT64_MAX, biggest_max = 0;
	for (size_t i = 0; i < KF_ARRAY_LEN(products); i++) {
		const struct product *p = &products[i];
		if (!(p->who & by->who))
			continue;
		int64_t max = p->hi * (p->max_qty < by->max_qty ? p->max_qty : by->max_qty);
		if (p->lo <= target && target <= max)
			fit[nfit++] = (uint8_t)i;
		if (p->lo < cheapest_lo)
			cheapest_lo = p->lo, cheapest = i;
		if (max > biggest_max)
			biggest_max = max, biggest = i;
	}
	size_t pick = nfit ? fit[demo_below(r, nfit)] : target < cheapest_lo ? cheapest : biggest;
	const struct product *p = &products[pick];
	if (target > biggest_max)
		target = biggest_max;
	struct sb b;
	sb_init(&b, name, cap);
	sb_put(&b, p->name);
	if (p->lo < p->hi) { /* a contract, priced to the yuan, tens above 1,000 元 */
		if (target < p->lo)
			target = p->lo;
		return target - target % (target >= YUAN(1000) ? YUAN(10) : YUAN(1));
	}
	int64_t qty = target / p->lo;
	if (qty < 1)
		qty = 1;
	if (qty > p->max_qty)
		qty = p->max_qty;
	if (qty > by->max_qty)
		qty = by->max_qty;
	if (qty > 1) {
		sb_put(&b, " ×");
		sb_putu(&b, (uint64_t)qty, 0);
	}
	/* list price, or up to 10% off for the bigger buyers */
	int64_t list = qty * p->lo;
	int64_t off = qty > 1 || chance(r, 30) ? list * (int64_t)demo_below(r, 11) / 100 : 0;
	int64_t amount = list - off;
	return amount - amount % YUAN(1);
}

static void make_order(struct demo_rng *r, int64_t scale, const struct buyer *by, int64_t now_ms,
	struct demo_order *o)
{
	int64_t target = scale * (int64_t)(512 + demo_below(r, 1536)) / 1024;
	if (target > MAX_ORDER_FEN)
		target = MAX_ORDER_FEN - (int64_t)demo_below(r, YUAN(50000));
	o->amount_fen = pick_product(r, target, by, o->product, sizeof(o->product));
	o->margin_fen = o->amount_fen * (int64_t)(5 + demo_below(r, 36)) / 100;
	o->ordered_at_ms = order_time(r, now_ms);
}

/* Oldest first; order numbers follow the order of the dates, like a real
 * system that numbers orders as they come. */
static void sort_orders(struct demo_customer *c, uint64_t index)
{
	for (int i = 1; i < c->norders; i++) {
		struct demo_order t = c->orders[i];
		int j = i;
		for (; j > 0 && c->orders[j - 1].ordered_at_ms > t.ordered_at_ms; j--)
			c->orders[j] = c->orders[j - 1];
		c->orders[j] = t;
	}
	for (int i = 0; i < c->norders; i++) {
		struct demo_order *o = &c->orders[i];
		struct sb b;
		sb_init(&b, o->order_no, sizeof(o->order_no));
		sb_put(&b, "SO");
		sb_put_date(&b, floor_div(o->ordered_at_ms + CST_MS, DAY_MS), "");
		sb_put(&b, "-");
		sb_putu(&b, index * DEMO_MAX_ORDERS + (uint64_t)i + 1, 6);
	}
}

/* ---- the customer -------------------------------------------------------- */

enum role { ROLE_INTERMEDIATE, ROLE_TERMINAL, ROLE_PUBLIC };
static const char *const role_codes[] = {
	[ROLE_INTERMEDIATE] = "intermediate", [ROLE_TERMINAL] = "terminal", [ROLE_PUBLIC] = "public",
};

/* What the steps of demo_customer share. */
struct gen {
	struct demo_rng r;
	struct demo_customer *c;
	int person;
	struct place home;
	int employed;
	struct org org;          /* the organisation, or the person's employer */
	struct person_name pn;   /* persons only */
	const struct stage *stage;
	enum role role;
};

static void gen_identity(struct gen *g)
{
	struct demo_customer *c = g->c;
	g->person = !chance(&g->r, 25);
	place_pick(&g->r, &g->home);
	SET(c->kind, g->person ? "person" : "organization");
	if (g->person) {
		make_name(&g->r, &g->pn, c->name, sizeof(c->name));
		g->employed = chance(&g->r, 65);
		if (g->employed) {
			/* most people work in the city where they live */
			const struct place *at = chance(&g->r, 90) ? &g->home : NULL;
			org_make(&g->r, at, &g->org, c->company, sizeof(c->company));
			SET(c->industry, g->org.ind->name);
		}
	} else {
		org_make(&g->r, &g->home, &g->org, c->company, sizeof(c->company));
		SET(c->name, c->company);
		SET(c->industry, g->org.ind->name);
	}
	make_address(&g->r, &g->home, g->person, c->address, sizeof(c->address));
}

static void gen_contacts(struct gen *g, int64_t now_ms)
{
	struct demo_customer *c = g->c;
	if (chance(&g->r, 50)) {
		if (g->person) {
			make_person_email(&g->r, &g->pn, g->employed ? &g->org : NULL, c->email, sizeof(c->email));
		} else {
			struct sb b;
			sb_init(&b, c->email, sizeof(c->email));
			sb_put(&b, *PICK(&g->r, org_mailboxes));
			sb_put(&b, "@");
			sb_put(&b, g->org.domain);
		}
	}
	if (chance(&g->r, 33))
		make_wechat(&g->r, g->person ? &g->pn : NULL, c->wechat, sizeof(c->wechat));
	if (g->person && chance(&g->r, 60))
		make_birthday(&g->r, now_ms, c->birthday, sizeof(c->birthday));
	if (g->person)
		make_hobbies(&g->r, c->hobbies, sizeof(c->hobbies));
}

static void gen_classes(struct gen *g)
{
	struct demo_customer *c = g->c;
	SET(c->source, chance(&g->r, 8) ? "internal" : "external");
	g->stage = pick_stage(&g->r);
	SET(c->lifecycle, g->stage->code);
	if (!g->person && g->org.institution && g->org.ind->pub)
		g->role = ROLE_PUBLIC;
	else if (!g->person)
		g->role = chance(&g->r, 45) ? ROLE_INTERMEDIATE : ROLE_TERMINAL;
	else if (chance(&g->r, 7))
		g->role = ROLE_INTERMEDIATE;
	else
		g->role = chance(&g->r, 1) ? ROLE_PUBLIC : ROLE_TERMINAL;
	SET(c->chain_role, role_codes[g->role]);
}

/* Orders, and the value class they earn. */
static void gen_orders(struct gen *g, uint64_t index, int64_t now_ms)
{
	struct demo_customer *c = g->c;
	int dealer = g->role == ROLE_INTERMEDIATE;
	int k;
	int64_t scale = spend_scale(&g->r, !g->person, &k);
	if (dealer) /* dealers buy for resale, in bulk */
		scale *= 2;
	/* households buy one or a few of a thing; dealers and organisations
	 * buy in batches */
	struct buyer by = {g->person ? FOR_HOME : FOR_ORG, 3};
	if (!g->person || dealer)
		by.max_qty = 50;
	if (g->person && dealer)
		by.who = FOR_ALL;
	c->norders = order_count(&g->r, g->stage, k);
	int64_t total = 0;
	for (int j = 0; j < c->norders; j++) {
		make_order(&g->r, scale, &by, now_ms, &c->orders[j]);
		total += c->orders[j].amount_fen;
	}
	sort_orders(c, index);
	int key = c->norders >= 2 && total >= DEMO_KEY_REVENUE_FEN;
	SET(c->value_class, key ? "key" : "ordinary");
}

/* Up to three tags, the ones that follow from the file first. */
static void gen_tags(struct gen *g, int64_t now_ms)
{
	struct demo_customer *c = g->c;
	int key = !strcmp(c->value_class, "key");
	int loyal = g->stage == &stages[ST_LOYAL];
	int is_new = c->norders ? c->orders[0].ordered_at_ms >= now_ms - 120 * DAY_MS : chance(&g->r, 50);
	if (key)
		add_tag(c, "VIP");
	if (loyal)
		add_tag(c, "老客户");
	if (g->role == ROLE_INTERMEDIATE)
		add_tag(c, "经销商");
	if (is_new && !loyal)
		add_tag(c, "新客户");
	if (!g->person && !strcmp(g->org.ind->name, "政府机关"))
		add_tag(c, "政府采购");
	if (chance(&g->r, 6))
		add_tag(c, "高投诉风险");
	if (g->stage == &stages[ST_GENERAL] && chance(&g->r, 15))
		add_tag(c, "价格敏感");
	if (key && chance(&g->r, 50))
		add_tag(c, "重点跟进");
	if (chance(&g->r, 40))
		add_tag(c, region_tags[g->home.city->region]);
}

void demo_customer(uint64_t seed, uint64_t index, int64_t now_ms, struct demo_customer *c)
{
	struct gen g;
	memset(&g, 0, sizeof(g));
	memset(c, 0, sizeof(*c));
	g.c = c;
	/* mix64 is a bijection, so each index starts at its own point of the
	 * splitmix sequence, far from its neighbours'. */
	demo_seed(&g.r, mix64(mix64(seed) ^ index));
	gen_identity(&g);
	make_phone(c->phone, sizeof(c->phone), seed, index);
	gen_contacts(&g, now_ms);
	gen_classes(&g);
	gen_orders(&g, index, now_ms);
	gen_tags(&g, now_ms);
}
