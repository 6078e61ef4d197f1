-- list.lua - GET /api/customers?limit=50 (the first page of the list).
--
--   wrk -t2 -c64 -d10s -s bench/wrk/list.lua http://127.0.0.1:PORT -- [TOKEN] [VARIANT]
--
-- TOKEN    sent as "Authorization: Bearer TOKEN" (else $BENCH_TOKEN; empty: none)
-- VARIANT  "first" (default): /api/customers?limit=50
--          "lifecycle": /api/customers?limit=50&lifecycle=general (an indexed filter)
--
-- The request never changes, so no request() is defined and wrk sends the
-- request built once from wrk.path / wrk.headers after init().
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN") or ""
   local variant = args[2] or "first"
   wrk.method = "GET"
   if variant == "lifecycle" then
      wrk.path = "/api/customers?limit=50&lifecycle=general"
   elseif variant == "first" then
      wrk.path = "/api/customers?limit=50"
   else
      error("list.lua: unknown variant " .. variant .. " (first|lifecycle)")
   end
   wrk.headers["Accept"] = "application/json"
   if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end
