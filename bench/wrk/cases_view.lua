-- cases_view.lua - GET a case view: "my open cases" (the inbox) and its kin.
--
--   wrk -t2 -c64 -d10s -s bench/wrk/cases_view.lua http://127.0.0.1:PORT -- TOKEN [VARIANT] [CURSOR]
--
-- TOKEN    an API token of an agent (sent as "Authorization: Bearer TOKEN"; else $BENCH_TOKEN)
-- VARIANT  "mine" (default): /api/cases?view=mine (first page of 50, queue order)
--          "deep": the same view at CURSOR (a page deep in the inbox)
--          "department": /api/cases?view=department
--          "counts": /api/cases/counts (the count per view)
-- The request never changes, so wrk builds it once.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN") or ""
   local variant = args[2] or "mine"
   wrk.method = "GET"
   if variant == "mine" then
      wrk.path = "/api/cases?view=mine"
   elseif variant == "deep" then
      if not args[3] or args[3] == "" then error("cases_view.lua: deep needs a CURSOR") end
      wrk.path = "/api/cases?view=mine&cursor=" .. args[3]
   elseif variant == "department" then
      wrk.path = "/api/cases?view=department"
   elseif variant == "counts" then
      wrk.path = "/api/cases/counts"
   else
      error("cases_view.lua: unknown variant " .. variant .. " (mine|deep|department|counts)")
   end
   wrk.headers["Accept"] = "application/json"
   if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
end
