-- post.lua - POST /api/customers, a new customer per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/post.lua http://127.0.0.1:PORT -- [TOKEN] [PHONE3]
--
-- TOKEN   sent as "Authorization: Bearer TOKEN" (else $BENCH_TOKEN; empty: none)
-- PHONE3  first three digits of the mobile number (default 196: not one of the
--         prefixes `kefu demo` draws from, so no clash with demo customers)
--
-- Body: {"name":"压测客户<T>-<K>","phone":"+86<PHONE3><T><K>"} where T is the
-- wrk thread number (1..9, assigned in setup()) and K a per-thread counter
-- written as 7 digits, so every phone in a run is distinct (up to 10 million
-- requests per thread).  The same PHONE3 on the same database twice gives
-- duplicates: run.sh uses a fresh database.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local nthreads = 0
function setup(thread)
   nthreads = nthreads + 1
   if nthreads > 9 then error("post.lua: at most 9 threads") end
   thread:set("tid", nthreads)
end

local headers, prefix, k = nil, "196", 0

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN") or ""
   prefix = args[2] or "196"
   if not prefix:match("^1%d%d$") then error("post.lua: PHONE3 must be 1 and two digits") end
   headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
   if token ~= "" then headers["Authorization"] = "Bearer " .. token end
end

function request()
   k = k + 1
   local body = string.format('{"name":"压测客户%d-%d","phone":"+86%s%d%07d"}',
                              tid, k, prefix, tid, k % 10000000)
   return wrk.format("POST", "/api/customers", headers, body)
end
