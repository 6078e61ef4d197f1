-- soak.lua - mixed traffic for bench/soak.sh: what a service desk does all day.
--
--   wrk -t2 -c16 -d600s -s bench/wrk/soak.lua http://127.0.0.1:PORT -- TOKEN CUSTOMERS CASES
--
-- Per 20 requests: 7 customer files, 3 customer list pages (with filters), 2 case inbox
-- pages, 2 cases, 2 searches (Chinese), 1 report, 2 new customers, 1 note on a case.
-- Every response must be 2xx: report.lua's non2xx counts the rest.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local nthreads = 0
function setup(thread)
   nthreads = nthreads + 1
   thread:set("tid", nthreads)
end

local headers, customers, cases, k = nil, 1, 1, 0
local words = { "空调", "维修", "退货", "发票", "保修", "安装", "送货", "热水器" }
local filters = { "lifecycle=loyal", "value_class=key", "tier=top", "owner=none", "lifecycle=general" }

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN") or ""
   customers = tonumber(args[2] or "1")
   cases = tonumber(args[3] or "1")
   math.randomseed(os.time() + (tid or 0) * 7919)
   headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
   if token ~= "" then headers["Authorization"] = "Bearer " .. token end
end

local function get(path) return wrk.format("GET", path, headers) end

function request()
   k = k + 1
   local slot = k % 20
   if slot < 7 then
      return get("/api/customers/" .. math.random(1, customers))
   elseif slot < 10 then
      return get("/api/customers?limit=50&" .. filters[math.random(#filters)])
   elseif slot < 12 then
      return get("/api/cases?view=all&limit=50")
   elseif slot < 14 then
      return get("/api/cases/" .. math.random(1, cases))
   elseif slot < 16 then
      return get("/api/search?q=" .. words[math.random(#words)])
   elseif slot < 17 then
      return get("/api/reports/pyramid")
   elseif slot < 19 then
      -- 8-digit suffix: thread id and a counter, so no two POSTs share a number.
      local body = string.format('{"name":"浸泡测试%d-%d","phone":"195%02d%06d"}', tid or 0, k, (tid or 0) % 100, k % 1000000)
      return wrk.format("POST", "/api/customers", headers, body)
   else
      local body = string.format('{"kind":"note","body":"浸泡测试备注 %d-%d"}', tid or 0, k)
      return wrk.format("POST", "/api/cases/" .. math.random(1, cases) .. "/events", headers, body)
   end
end
