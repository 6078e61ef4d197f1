-- cti_event.lua - POST /api/cti/events, one new telephony event per request.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/cti_event.lua http://127.0.0.1:PORT -- TOKEN [RUN]
--
-- TOKEN  a kefu API token of a supervisor account (the PBX's)
-- RUN    a word that makes this run's call ids its own (default "r1")
--
-- Each request is an "offered" event of a new call (call_id "<RUN>-<T>-<K>": T the wrk
-- thread, K a per-thread counter), so every request stores one event and derives one call,
-- the unit of work of the events API.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local nthreads = 0
function setup(thread)
   nthreads = nthreads + 1
   thread:set("tid", nthreads)
end

local headers, run, k = nil, "r1", 0

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN") or ""
   run = args[2] or "r1"
   headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }
end

function request()
   k = k + 1
   local body = string.format(
      '{"type":"offered","call_id":"%s-%d-%d","caller":"+8613%09d","queue":"压测"}',
      run, tid, k, (tid * 100000000 + k) % 1000000000)
   return wrk.format("POST", "/api/cti/events", headers, body)
end
