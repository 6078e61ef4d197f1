-- report.lua - shared by the other bench/wrk scripts (loaded with dofile, by
-- a path taken from the loading script's own location, so the current
-- directory does not matter).
--
-- Defines done(), which wrk calls once at the end, in its main Lua state, and
-- which prints one JSON line:
--   {"label":..., "requests":N, "seconds":S, "rps":R, "p50_ms":..,
--    "p99_ms":.., "max_ms":.., "bytes_per_resp":B, "non2xx":N, "socket_errors":N}
-- bytes_per_resp is the mean size of a response, headers included.
-- non2xx is wrk's errors.status: responses with a status > 399 (wrk does not
-- count 3xx; none are expected here).  socket_errors adds connect, read,
-- write and timeout errors.  The label is $BENCH_LABEL, else "wrk".

local function num(v)
   if v ~= v or v == math.huge or v == -math.huge then return "null" end
   return string.format("%.3f", v)
end

function done(summary, latency, requests)
   local secs = summary.duration / 1e6
   local e = summary.errors
   local label = os.getenv("BENCH_LABEL") or "wrk"
   label = label:gsub('[%c"\\]', "_")
   io.write(string.format(
      '{"label":"%s","requests":%d,"seconds":%s,"rps":%s,"p50_ms":%s,' ..
      '"p99_ms":%s,"max_ms":%s,"bytes_per_resp":%d,"non2xx":%d,"socket_errors":%d}\n',
      label, summary.requests, num(secs),
      num(secs > 0 and summary.requests / secs or 0),
      num(latency:percentile(50) / 1000), num(latency:percentile(99) / 1000),
      num(latency.max / 1000),
      summary.requests > 0 and math.floor(summary.bytes / summary.requests + 0.5) or 0,
      e.status, e.connect + e.read + e.write + e.timeout))
end
