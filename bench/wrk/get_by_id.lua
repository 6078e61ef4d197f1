-- get_by_id.lua - GET PREFIX..ID with ID uniformly random in 1..N.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/get_by_id.lua http://127.0.0.1:PORT -- N [TOKEN] [PREFIX]
--
-- N       highest id (else $BENCH_N, else 100000)
-- TOKEN   sent as "Authorization: Bearer TOKEN" (else $BENCH_TOKEN; empty: none)
-- PREFIX  path before the id (default /api/customers/; the ceilings use /x/)
--
-- Each wrk thread pre-builds 16384 requests with its own random ids in
-- init() and cycles through them, so request() costs a table lookup.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local nthreads = 0
function setup(thread)
   nthreads = nthreads + 1
   thread:set("tid", nthreads)
end

local reqs, nreqs, i = {}, 16384, 0

function init(args)
   local n = tonumber(args[1] or os.getenv("BENCH_N") or "") or 100000
   local token = args[2] or os.getenv("BENCH_TOKEN") or ""
   local prefix = args[3] or "/api/customers/"
   local headers = { ["Accept"] = "application/json" }
   if token ~= "" then headers["Authorization"] = "Bearer " .. token end
   math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
   for k = 1, nreqs do
      reqs[k] = wrk.format("GET", prefix .. math.random(1, n), headers)
   end
end

function request()
   i = i % nreqs + 1
   return reqs[i]
end
