-- cases_post.lua - POST /api/cases: a new case per request for a known customer.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/cases_post.lua http://127.0.0.1:PORT -- TOKEN CUSTOMERS
--
-- TOKEN      an API token of an agent (else $BENCH_TOKEN)
-- CUSTOMERS  customers have the ids 1..CUSTOMERS (a fresh `kefu demo` database)
--
-- Body: an inquiry or a complaint (one in five) by phone for a random customer, so the
-- server does what a hotline agent's "new case" does: finds the customer, picks the SLA
-- policy, counts the due times on the business calendar, numbers the case, assigns it to
-- the least-loaded agent of the department, writes the case, its first timeline event and
-- the audit row, and answers with the whole case.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local nthreads = 0
function setup(thread)
   nthreads = nthreads + 1
   thread:set("tid", nthreads)
end

local headers, customers, k = nil, 1, 0

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN") or ""
   customers = tonumber(args[2] or "1")
   if not customers or customers < 1 then error("cases_post.lua: CUSTOMERS must be a positive number") end
   math.randomseed(os.time() + (tid or 0) * 7919)
   headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
   if token ~= "" then headers["Authorization"] = "Bearer " .. token end
end

function request()
   k = k + 1
   local kind = (k % 5 == 0) and "complaint" or "inquiry"
   local body = string.format(
      '{"type":"%s","channel":"phone","subject":"压测工单%d-%d","customer_id":%d,"emotion":"calm"}',
      kind, tid or 0, k, math.random(1, customers))
   return wrk.format("POST", "/api/cases", headers, body)
end
